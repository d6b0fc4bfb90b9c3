#include "app/reconcile_tick.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "app/converge.h"
#include "app/deploy_hooks.h"
#include "app/environment_plan.h"
#include "app/progress_task_view.h"
#include "config/notify_settings.h"
#include "core/log_context.h"
#include "history/recorded_state.h"

namespace run::app {

namespace {

using reconcile::TickReport;
using reconcile::TickResult;

std::string short_commit(const std::string& commit) {
  return commit.empty() ? "working tree" : commit.substr(0, 7);
}

/// The first error as one line, with its place when it has one.
std::string first_error(const Diagnostics& errors) {
  if (errors.empty()) return "unknown error";
  std::string more =
      errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more)" : "";
  return diagnostic_line(errors.front()) + more;
}

/// Logs every action as it ends: a loop has no terminal to draw progress on.
class LogProgress final : public apply::ProgressSink {
 public:
  void started(std::size_t, const plan::Action&) override {}
  void finished(std::size_t, const plan::Action& action,
                const apply::ActionResult& result) override {
    auto level =
        result.state == apply::ActionState::kDone ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(level, "{} {} {}: {}{}", plan::to_string(action.kind),
                plan::to_string(action.resource), action.name, apply::to_string(result.state),
                result.message.empty() ? "" : " (" + result.message + ")");
  }
  void note(const std::string& text) override { spdlog::debug("{}", text); }
  void step(std::size_t, const plan::Action& action, const std::string& text) override {
    spdlog::debug("{}: {}", action.service, text);
  }
};

/// "container shop-dev-web-1: not running (start)" for each action live drift caused.
std::vector<std::string> drift_lines(const plan::Plan& plan) {
  std::vector<std::string> lines;
  for (const plan::Action& action : plan.actions)
    if (action.drift && *action.drift != plan::DriftCause::kDesiredChange)
      lines.push_back(std::string(plan::to_string(action.resource)) + " " + action.name + ": " +
                      action.reason + " (" + std::string(plan::to_string(action.kind)) + ")");
  return lines;
}

/// The loop's view of a converge: the report learns each plan, the log says what is applied,
/// and nothing is ever asked.
class LogView final : public ConvergeView {
 public:
  LogView(TickReport& report, std::string trigger)
      : report_(report), trigger_(std::move(trigger)) {}

  void planned(const plan::Plan& plan) override {
    report_.plan_summary = plan_summary(plan);
    report_.drift = drift_lines(plan);
  }
  void show_plan(const plan::Plan&) override {}
  Result<bool> confirm(const std::string&, const std::string&, bool) override { return true; }
  void executing(const plan::Plan&) override {
    spdlog::info("applying {} ({}): {}", short_commit(report_.commit), trigger_,
                 report_.plan_summary);
    for (const std::string& line : report_.drift) spdlog::info("drift: {}", line);
  }
  apply::ProgressSink& progress() override { return progress_; }
  TaskView& tasks() override { return tasks_; }
  void lock_taken(std::function<void()>) override {}
  void lock_released() override {}

 private:
  TickReport& report_;
  std::string trigger_;
  LogProgress progress_;
  ProgressTaskView tasks_{[this]() -> apply::ProgressSink& { return progress_; }};
};

}  // namespace

/// What one tick found before it acts: the commit, the records and a hold.
struct ReconcileTick::Source {
  Target target;
  std::string commit;  ///< the fetched commit, or the working tree's HEAD ("" outside git)
  std::vector<history::RecordSummary> records;  ///< newest first
  std::optional<reconcile::RollbackHold> hold;
};

/// What the tick deploys: the configuration at the commit, or the state a hold keeps.
struct ReconcileTick::Deployment {
  model::DesiredState desired;
  std::string project_directory;
  std::optional<std::string> webhook_url;     ///< a hold reads no configuration: unchanged
  std::optional<std::string> build_revision;  ///< where builds read their context
};

ReconcileTick::ReconcileTick(const Workspace& workspace, ReconcileSettings settings,
                             const std::atomic<bool>& stop)
    : workspace_(workspace),
      settings_(std::move(settings)),
      stop_(stop),
      environment_(settings_.environment.value_or("")) {}

/// Finds the commit, learns the environment when neither --env nor $RUN_ENV named it (once:
/// a configuration broken when the loop starts is a failed tick, retried, not the end),
/// then reads the environment's records and whether a rollback hold is in force.
Result<ReconcileTick::Source> ReconcileTick::find_source() {
  Result<Target> target = workspace_.target();
  if (!target) return target.errors();
  if (settings_.environment) target->environment = settings_.environment;
  if (environment_.empty() && target->environment) {
    environment_ = *target->environment;  // $RUN_ENV
    set_log_field(LogField::kEnvironment, environment_);
  }
  Source source{*target, "", {}, std::nullopt};
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace_.history(target->directory, history::StoreAccess::kRead);
  if (!store) return store.errors();
  if (settings_.remote) {
    Result<std::string> fetched =
        workspace_.fetch(target->directory, *settings_.remote, settings_.branch,
                         history::FetchLimits{settings_.fetch_timeout, &stop_});
    if (!fetched) return fetched.errors();
    source.commit = *fetched;
  } else {
    source.commit = (*store)->source_info().commit;
  }
  if (environment_.empty()) {
    std::optional<std::string> revision =
        settings_.remote ? std::optional<std::string>(source.commit) : std::nullopt;
    Result<ConfigTarget> config = workspace_.config(*target, revision);
    if (!config) return config.errors();
    Result<config::LoadedConfig> loaded = config::load_config(*config->files, config->request);
    if (!loaded) return loaded.errors();
    environment_ = loaded->environment;
    set_log_field(LogField::kEnvironment, environment_);
  }
  source.target.environment = environment_;
  Result<std::vector<history::RecordSummary>> records = (*store)->list(environment_);
  if (!records) return records.errors();
  source.records = std::move(*records);
  source.hold = reconcile::rollback_hold(source.records, source.commit);
  return source;
}

Result<ReconcileTick::Deployment> ReconcileTick::deployment_of(const Source& source) {
  if (!source.hold) {
    std::optional<std::string> revision =
        settings_.remote ? std::optional<std::string>(source.commit) : std::nullopt;
    Result<LoadedEnvironment> loaded = load_environment(workspace_, source.target, revision);
    if (!loaded) return loaded.errors();
    return Deployment{std::move(loaded->desired), loaded->project_directory,
                      config::notify_settings(loaded->config).webhook_url, revision};
  }
  // The state a hold keeps: the rollback record's, with today's secrets.
  Result<ConfigTarget> config = workspace_.config(source.target, std::nullopt);
  if (!config) return config.errors();
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace_.history(config->directory, history::StoreAccess::kRead);
  if (!store) return store.errors();
  Result<history::Record> record = (*store)->read(environment_, source.hold->rollback_record);
  if (!record) return record.errors();
  Result<config::InterpolationScope> scope =
      config::interpolation_scope(*config->files, config->request, environment_);
  if (!scope) return scope.errors();
  Result<model::DesiredState> state = history::restored_state(*record, *scope);
  if (!state) return state.errors();
  std::optional<std::string> built_from;  // the record's source: a pruned image is rebuilt there
  if (!record->summary.source_commit.empty()) built_from = record->summary.source_commit;
  return Deployment{std::move(*state), config->directory, webhook_url_, built_from};
}

reconcile::TickReport ReconcileTick::run(const std::string& trigger) {
  auto started = std::chrono::steady_clock::now();
  TickReport report;
  End end = converge_tick(trigger, report);
  report.result = end.result;
  report.error = std::move(end.error);
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.finished_at = iso_utc(std::chrono::system_clock::now());
  if (end.result == TickResult::kSuccess) applied_commit_ = report.commit;
  return report;
}

namespace {

ChangeOptions loop_options(ChangeOptions options) {
  options.approval = Approval::kAutoApprove;
  options.dry_run = false;
  options.lock_wait = std::chrono::milliseconds(0);
  return options;
}

}  // namespace

ReconcileTick::End ReconcileTick::converge_tick(const std::string& trigger, TickReport& report) {
  Result<Source> source = find_source();
  if (!source) return {TickResult::kFailure, first_error(source.errors())};
  report.commit = source->commit;
  if (report.commit.empty())
    clear_log_field(LogField::kCommit);  // outside git: null, as the log format says
  else
    set_log_field(LogField::kCommit, report.commit);
  keep_history(source->records);
  if (source->hold) report.hold_of = source->hold->restored;
  Result<Deployment> deployment = deployment_of(*source);
  if (!deployment)
    return {TickResult::kFailure,
            "config at " + short_commit(report.commit) + ": " + first_error(deployment.errors())};
  project_ = deployment->desired.project;
  webhook_url_ = deployment->webhook_url;
  Result<std::unique_ptr<Engine>> engine = workspace_.engine(
      deployment->desired.engine, deployment->desired.target, deployment->project_directory);
  if (!engine)
    return {TickResult::kFailure,
            "config at " + short_commit(report.commit) + ": " + first_error(engine.errors())};
  ConvergeRequest request;
  request.verb = "reconcile";
  request.desired = std::move(deployment->desired);
  request.project_directory = deployment->project_directory;
  request.record.kind =
      source->hold ? history::RecordKind::kRollback : history::RecordKind::kReconcile;
  if (source->hold) request.record.rollback_of = source->hold->restored;
  if (settings_.remote)
    request.source =
        history::SourceInfo{source->commit, false, *settings_.remote + "/" + settings_.branch};
  request.build_revision = deployment->build_revision;
  request.options = loop_options(settings_.options);
  request.contention = LockContention::kSkip;
  LogView view(report, trigger);
  Result<ConvergeOutcome> outcome = converge(**engine, workspace_, request, view, stop_);
  if (!outcome) return {TickResult::kFailure, first_error(outcome.errors())};
  if (!outcome->release_errors.empty()) spdlog::warn("{}", first_error(outcome->release_errors));
  switch (outcome->end) {
    case ConvergeEnd::kPlanned:
    case ConvergeEnd::kCancelled:
      return {TickResult::kSuccess, ""};
    case ConvergeEnd::kLocked: {
      const docker::LockHolder& holder = *outcome->holder;
      return {TickResult::kSkipped, "locked by " + holder.holder + " (" + holder.command +
                                        " since " + holder.since + ")"};
    }
    case ConvergeEnd::kInterrupted:
      if (!outcome->interruption.empty())
        return {TickResult::kFailure, first_error(outcome->interruption)};
      return {
          TickResult::kFailure,
          "interrupted: 0 of " + std::to_string(outcome->plan.actions.size()) + " actions done"};
    case ConvergeEnd::kExecuted:
      break;
  }
  const RecordedExecution& execution = *outcome->execution;
  report.applied = true;
  for (std::size_t i = 0; i < outcome->plan.actions.size(); ++i)
    if (execution.report.results[i].state == apply::ActionState::kDone)
      ++report.actions_done[std::string(plan::to_string(outcome->plan.actions[i].kind))];
  report.record_number = execution.record_number;
  reread_history(request.project_directory);
  if (!execution.record_number)
    return {TickResult::kFailure, "the changes were made, but their record was not written: " +
                                      first_error(execution.record_errors)};
  if (execution.succeeded()) return {TickResult::kSuccess, ""};
  if (!hooks_succeeded(execution.hooks)) {
    const history::TaskOutcome& hook = execution.hooks.back();
    return {TickResult::kFailure, hook.when + " task " + hook.task + " " + task_end_text(hook) +
                                      " (record #" + std::to_string(*execution.record_number) +
                                      ")"};
  }
  return {TickResult::kFailure,
          execution_failure(outcome->plan, execution.report, *execution.record_number)};
}

std::string execution_failure(const plan::Plan& plan, const apply::ExecutionReport& report,
                              int record_number) {
  std::string of_actions = " of " + std::to_string(plan.actions.size());
  std::string record = " (record #" + std::to_string(record_number) + ")";
  if (report.interrupted)
    return "interrupted: " + std::to_string(report.count(apply::ActionState::kDone)) + of_actions +
           " actions done" + record;
  std::string first_failure;
  for (const apply::ActionResult& result : report.results)
    if (result.state == apply::ActionState::kFailed && first_failure.empty())
      first_failure = ": " + result.message;
  return std::to_string(report.count(apply::ActionState::kFailed)) + of_actions +
         " actions failed" + record + first_failure;
}

void ReconcileTick::keep_history(const std::vector<history::RecordSummary>& records) {
  recent_history_.assign(
      records.begin(),
      records.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(records.size(), 10)));
}

void ReconcileTick::reread_history(const std::string& project_directory) {
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace_.history(project_directory, history::StoreAccess::kRead);
  if (!store) return;
  if (Result<std::vector<history::RecordSummary>> records = (*store)->list(environment_); records)
    keep_history(*records);
}

}  // namespace run::app
