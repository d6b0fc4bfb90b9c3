#pragma once

#include <functional>
#include <string>

#include "app/task_run.h"
#include "apply/progress.h"

namespace run::app {

/// "exited 0 (1.2s)", "timed out after 5m (it ran longer ...)", "did not start: ...": how a
/// task ended, in words.
std::string task_end_text(const history::TaskOutcome& outcome);

/// A task's run as notes of a progress display: "pre-deploy task db-migrate: running", each
/// line as "db-migrate | TEXT", then how it ended. Notes scroll above a live display and are
/// events of a JSON one, so a hook's output reads the same in every style.
class ProgressTaskView final : public TaskView {
 public:
  /// `sink` is asked for each time: a view may make its progress display lazily.
  explicit ProgressTaskView(std::function<apply::ProgressSink&()> sink) : sink_(std::move(sink)) {}

  void task_started(const model::TaskSpec& task, model::TaskWhen when) override;
  void task_line(const model::TaskSpec& task, const docker::LogLine& line) override;
  void task_finished(const history::TaskOutcome& outcome) override;

 private:
  std::function<apply::ProgressSink&()> sink_;
};

}  // namespace run::app
