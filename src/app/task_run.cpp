#include "app/task_run.h"

#include <chrono>
#include <deque>

#include "app/deployment_record.h"
#include "app/swarm_refusal.h"
#include "app/task_launch.h"
#include "apply/failure_diagnostics.h"
#include "core/did_you_mean.h"
#include "history/state_json.h"
#include "model/names.h"
#include "model/secret_redaction.h"
#include "model/service_fields.h"
#include "render/plan_json.h"

namespace run::app {

namespace {

history::TaskEnd end_of(docker::ContainerEnd end) {
  switch (end) {
    case docker::ContainerEnd::kExited:
      return history::TaskEnd::kExited;
    case docker::ContainerEnd::kTimedOut:
      return history::TaskEnd::kTimedOut;
    case docker::ContainerEnd::kInterrupted:
      return history::TaskEnd::kInterrupted;
  }
  return history::TaskEnd::kExited;
}

std::string timeout_text(std::chrono::milliseconds timeout) {
  return "it ran longer than its timeout (" + model::format_duration_ms(timeout.count()) +
         "); its container was stopped and removed";
}

std::vector<std::string> task_names(const model::DesiredState& desired) {
  std::vector<std::string> names;
  for (const model::TaskSpec& task : desired.tasks) names.push_back(task.name);
  return names;
}

Result<const model::TaskSpec*> declared_task(const model::DesiredState& desired,
                                             const std::string& name) {
  if (const model::TaskSpec* task = desired.find_task(name)) return task;
  std::string where = desired.project + "/" + desired.environment;
  if (desired.tasks.empty())
    return usage_error("no task '" + name + "' in " + where + ": the configuration declares none",
                       "declare one under 'tasks:' in run-config.yaml");
  return usage_error("no task '" + name + "' in " + where,
                     did_you_mean_or_declared(name, task_names(desired)));
}

/// A task runs on the environment's network: before the first apply there is none.
Status check_deployed(Engine& engine, const model::DesiredState& desired) {
  if (Status local = refuse_on_swarm(desired, "task",
                                     "a task of a swarm environment is not run yet; a service "
                                     "with deploy.mode: replicated-job runs once per apply");
      !local)
    return local;
  Result<model::ObservedState> observed = engine.observe(desired);
  if (!observed) return observed.errors();
  std::string network =
      model::network_name(desired.project, desired.environment, model::kDefaultNetwork);
  for (const model::ObservedNetwork& existing : observed->networks)
    if (existing.name == network) return ok_status();
  return usage_error("environment " + desired.project + "/" + desired.environment +
                         " is not deployed: its network " + network + " does not exist",
                     "run apply --env " + desired.environment + " first");
}

history::Outcome outcome_of(const history::TaskOutcome& task) {
  if (task.end == history::TaskEnd::kInterrupted) return history::Outcome::kInterrupted;
  return task.succeeded() ? history::Outcome::kSucceeded : history::Outcome::kFailed;
}

/// "db-backup exited 0", "db-migrate timed out": the record's summary.
std::string task_summary(const history::TaskOutcome& task) {
  switch (task.end) {
    case history::TaskEnd::kExited:
      return task.task + " exited " + std::to_string(task.exit_code.value_or(0));
    case history::TaskEnd::kTimedOut:
      return task.task + " timed out";
    case history::TaskEnd::kInterrupted:
      return task.task + " interrupted";
    case history::TaskEnd::kNotStarted:
      return task.task + " did not start";
  }
  return task.task;
}

history::NewRecord task_record(const model::DesiredState& desired, const history::TaskOutcome& task,
                               const history::SourceInfo& source,
                               std::chrono::system_clock::time_point started,
                               std::chrono::system_clock::time_point finished) {
  history::NewRecord record;
  record.environment = desired.environment;
  record.state_json = history::state_to_json(desired);
  plan::Plan nothing;  // a task changes no service: its record's plan is empty
  nothing.project = desired.project;
  nothing.environment = desired.environment;
  record.plan_json = render::plan_json(nothing);
  history::RecordResult& result = record.result;
  result.outcome = outcome_of(task);
  result.kind = history::RecordKind::kTask;
  result.started_at = iso_utc(started);
  result.finished_at = iso_utc(finished);
  result.seconds = task.seconds;
  result.source = source;
  result.summary = task_summary(task);
  result.tasks.push_back(task);
  return record;
}

}  // namespace

history::TaskOutcome run_task_once(Engine& engine, const model::DesiredState& desired,
                                   const model::TaskSpec& task, model::TaskWhen when,
                                   const std::vector<std::string>& args,
                                   const std::string& project_directory, TaskView& view,
                                   const std::atomic<bool>& stop) {
  TaskLaunch launch = task_launch(desired, task, args, project_directory);
  history::TaskOutcome outcome;
  outcome.task = task.name;
  outcome.when = std::string(model::to_string(when));
  std::deque<std::string> last_lines;
  auto on_line = [&](const docker::LogLine& line) {
    docker::LogLine shown = line;
    shown.text = model::redact_secrets(line.text, launch.container);
    view.task_line(task, shown);
    last_lines.push_back(shown.text);
    if (last_lines.size() > history::kTaskOutputLines) last_lines.pop_front();
  };
  view.task_started(task, when);
  auto started = std::chrono::steady_clock::now();
  Result<docker::ContainerExit> exit = engine.run_task(launch, on_line, stop);
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  outcome.output.assign(last_lines.begin(), last_lines.end());
  if (!exit) {
    outcome.end = history::TaskEnd::kNotStarted;
    outcome.message = exit.errors().front().message;
  } else {
    outcome.end = end_of(exit->end);
    if (exit->end == docker::ContainerEnd::kExited) outcome.exit_code = exit->exit_code;
    if (exit->end == docker::ContainerEnd::kTimedOut)
      outcome.message = timeout_text(*launch.timeout);
    if (exit->end == docker::ContainerEnd::kInterrupted)
      outcome.message = "interrupted; its container was stopped and removed";
  }
  view.task_finished(outcome);
  return outcome;
}

Result<RecordedTask> run_recorded_task(Engine& engine, const Workspace& workspace,
                                       const LoadedEnvironment& environment,
                                       const TaskRequest& request, TaskView& view,
                                       const std::atomic<bool>& stop) {
  const model::DesiredState& desired = environment.desired;
  Result<const model::TaskSpec*> task = declared_task(desired, request.name);
  if (!task) return task.errors();
  if (Status deployed = check_deployed(engine, desired); !deployed) return deployed.errors();
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace.history(environment.project_directory, history::StoreAccess::kWrite);
  if (!store) return store.errors();
  auto started_at = std::chrono::system_clock::now();
  RecordedTask recorded;
  recorded.outcome = run_task_once(engine, desired, **task, model::TaskWhen::kManual, request.args,
                                   environment.project_directory, view, stop);
  history::NewRecord record = task_record(desired, recorded.outcome, (*store)->source_info(),
                                          started_at, std::chrono::system_clock::now());
  Result<int> number = (*store)->append(record);
  if (number)
    recorded.record_number = *number;
  else
    recorded.record_errors = number.errors();
  return recorded;
}

}  // namespace run::app
