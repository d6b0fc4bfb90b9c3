#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "app/engine.h"
#include "app/environment_plan.h"
#include "app/workspace.h"
#include "core/result.h"
#include "docker/container_logs.h"
#include "history/record.h"
#include "model/desired_state.h"

namespace run::app {

/// Where a task's run is shown as it goes: a terminal, JSON progress, the loop's log, a
/// test's recorder. Lines come with the task's secrets already redacted.
class TaskView {
 public:
  virtual ~TaskView() = default;
  virtual void task_started(const model::TaskSpec& task, model::TaskWhen when) = 0;
  virtual void task_line(const model::TaskSpec& task, const docker::LogLine& line) = 0;
  virtual void task_finished(const history::TaskOutcome& outcome) = 0;
};

/// Runs `task` once, to its end, with `args` after its command. Never an error: what kept it
/// from starting or ending is the outcome's message (its end kNotStarted, kTimedOut,
/// kInterrupted), so that a hook that fails is recorded like one that exits 1.
/// `when` is how it runs (a hook: pre- or post-deploy; run task: manual), for the outcome.
history::TaskOutcome run_task_once(Engine& engine, const model::DesiredState& desired,
                                   const model::TaskSpec& task, model::TaskWhen when,
                                   const std::vector<std::string>& args,
                                   const std::string& project_directory, TaskView& view,
                                   const std::atomic<bool>& stop);

/// What `run task` runs.
struct TaskRequest {
  std::string name;
  std::vector<std::string> args;  ///< appended to the task's command
};

struct RecordedTask {
  history::TaskOutcome outcome;
  std::optional<int> record_number;  ///< none when the record could not be written
  Diagnostics record_errors;
};

/// The task `request` names, run on the environment's network and recorded as a record of
/// kind task (the store is opened first: a history that cannot be written runs nothing).
/// Errors: a task the configuration does not declare (with a suggestion), an environment not
/// deployed (its network is missing), the engine's, the store's.
Result<RecordedTask> run_recorded_task(Engine& engine, const Workspace& workspace,
                                       const LoadedEnvironment& environment,
                                       const TaskRequest& request, TaskView& view,
                                       const std::atomic<bool>& stop);

}  // namespace run::app
