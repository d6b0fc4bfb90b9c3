#include "cli/reconcile_tick.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "cli/config_target.h"
#include "cli/deployment_record.h"
#include "cli/plan_session.h"
#include "cli/recorded_execution.h"
#include "config/notify_settings.h"
#include "core/log_context.h"
#include "docker/environment_lock.h"
#include "history/history_store.h"
#include "history/recorded_state.h"
#include "history/remote_fetch.h"
#include "reconcile/rollback_hold.h"

namespace run::cli {

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

/// The configuration's default_environment at the commit (the working tree without a remote).
Result<std::string> default_environment(const ReconcileSettings& settings,
                                        const std::string& commit) {
  std::optional<std::string> revision =
      settings.remote ? std::optional<std::string>(commit) : std::nullopt;
  Result<ConfigTarget> target = resolve_config_target(settings.global, revision);
  if (!target) return target.errors();
  if (target->request.environment) return *target->request.environment;  // $RUN_ENV
  Result<config::LoadedConfig> loaded = config::load_config(*target->files, target->request);
  if (!loaded) return loaded.errors();
  return loaded->environment;
}

/// Finds the commit, learns the environment when neither --env nor $RUN_ENV named it (once: a
/// configuration broken when the loop starts is a failed tick, retried, not the end), then
/// reads the environment's records and whether a rollback hold is in force.
Result<TickSource> find_source(ReconcileSettings& settings) {
  Result<ConfigTarget> target = resolve_config_target(settings.global);
  if (!target) return target.errors();
  TickSource source{target->directory, "", {}, std::nullopt};
  Result<history::HistoryStore> store = history::HistoryStore::open(source.project_directory);
  if (!store) return store.errors();
  if (settings.remote) {
    Result<history::FetchedBranch> fetched =
        history::fetch_branch(source.project_directory, *settings.remote, settings.branch);
    if (!fetched) return fetched.errors();
    source.commit = fetched->commit_id;
  } else {
    source.commit = store->source_info().commit;
  }
  if (settings.global.environment.empty()) {
    Result<std::string> environment = default_environment(settings, source.commit);
    if (!environment) return environment.errors();
    settings.global.environment = *environment;
    set_log_field(LogField::kEnvironment, *environment);
  }
  Result<std::vector<history::RecordSummary>> records = store->list(settings.global.environment);
  if (!records) return records.errors();
  source.records = std::move(*records);
  source.hold = reconcile::rollback_hold(source.records, source.commit);
  return source;
}

/// The state a hold keeps: the rollback record's, with today's secrets.
Result<PlanSession> held_session(const ReconcileSettings& settings,
                                 const reconcile::RollbackHold& hold) {
  Result<ConfigTarget> target = resolve_config_target(settings.global);
  if (!target) return target.errors();
  Result<history::HistoryStore> store = history::HistoryStore::open(target->directory);
  if (!store) return store.errors();
  const std::string& environment = settings.global.environment;
  Result<history::Record> record = store->read(environment, hold.rollback_record);
  if (!record) return record.errors();
  Result<config::InterpolationScope> scope =
      config::interpolation_scope(*target->files, target->request, environment);
  if (!scope) return scope.errors();
  Result<model::DesiredState> state = history::restored_state(*record, *scope);
  if (!state) return state.errors();
  return open_session_for_state(settings.global, std::move(*state));
}

}  // namespace

ReconcileTick::ReconcileTick(ReconcileSettings settings, const std::atomic<bool>& stop)
    : settings_(std::move(settings)), stop_(stop) {}

namespace {

TickEnd failure(const Diagnostics& errors, const std::string& context = {}) {
  return {TickResult::kFailure, context + first_error(errors)};
}

/// The lock, or none and why the tick cannot have it in `end`: skipped when another run holds
/// it, a failure when the daemon refused.
std::optional<docker::EnvironmentLock> lock_environment(PlanSession& session,
                                                        const std::atomic<bool>& stop,
                                                        TickEnd& end) {
  Result<docker::LockAttempt> attempt = docker::EnvironmentLock::try_acquire(
      *session.docker, session.desired.project, session.desired.environment, "reconcile",
      std::chrono::milliseconds(0), &stop);
  if (!attempt) {
    end = failure(attempt.errors());
    return std::nullopt;
  }
  if (const docker::LockHolder* holder = std::get_if<docker::LockHolder>(&*attempt)) {
    end = {TickResult::kSkipped, "locked by " + holder->holder + " (" + holder->command +
                                     " since " + holder->since + ")"};
    return std::nullopt;
  }
  return std::get<docker::EnvironmentLock>(std::move(*attempt));
}

/// Observes and plans; a plan with errors is a failure like any other.
std::optional<TickEnd> plan_tick(PlanSession& session, const ReconcileSettings& settings) {
  plan::PlanOptions options{settings.prune_volumes, plan::PlanPurpose::kConverge};
  if (Status planned = observe_and_plan(session, options); !planned)
    return failure(planned.errors());
  if (!session.plan.errors.empty()) return failure(session.plan.errors);
  return std::nullopt;
}

}  // namespace

reconcile::TickReport ReconcileTick::run(const std::string& trigger) {
  auto started = std::chrono::steady_clock::now();
  TickReport report;
  TickEnd end = converge(trigger, report);
  report.result = end.result;
  report.error = std::move(end.error);
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.finished_at = iso_utc(std::chrono::system_clock::now());
  if (end.result == TickResult::kSuccess) applied_commit_ = report.commit;
  return report;
}

TickEnd ReconcileTick::converge(const std::string& trigger, reconcile::TickReport& report) {
  Result<TickSource> source = find_source(settings_);
  if (!source) return failure(source.errors());
  report.commit = source->commit;
  if (report.commit.empty())
    clear_log_field(LogField::kCommit);  // outside git: null, as the log format says
  else
    set_log_field(LogField::kCommit, report.commit);
  keep_history(source->records);
  if (source->hold) report.hold_of = source->hold->restored;
  std::optional<std::string> revision =
      settings_.remote ? std::optional<std::string>(source->commit) : std::nullopt;
  Result<PlanSession> session = source->hold ? held_session(settings_, *source->hold)
                                             : open_session(settings_.global, revision);
  if (!session) return failure(session.errors(), "config at " + short_commit(report.commit) + ": ");
  project_ = session->desired.project;
  // A hold reads no configuration: the webhook stays the one last read.
  if (!source->hold) webhook_url_ = config::notify_settings(session->config).webhook_url;
  // Plan first, without the lock: a tick with nothing to do (nearly all of them) costs the
  // daemon no lock container. With changes, lock and plan again, since the lock is what
  // makes the plan safe to apply.
  if (std::optional<TickEnd> failed = plan_tick(*session, settings_)) return *failed;
  report.plan_summary = plan_summary(session->plan);
  report.drift = drift_lines(session->plan);
  if (!session->plan.has_changes()) return {TickResult::kSuccess, ""};
  TickEnd end{TickResult::kSuccess, ""};
  std::optional<docker::EnvironmentLock> lock = lock_environment(*session, stop_, end);
  if (!lock) return end;
  end = apply_locked(*session, *source, trigger, report);
  if (Status released = lock->release(); !released)
    spdlog::warn("{}", first_error(released.errors()));
  return end;
}

TickEnd ReconcileTick::apply_locked(PlanSession& session, const TickSource& source,
                                    const std::string& trigger, reconcile::TickReport& report) {
  if (std::optional<TickEnd> failed = plan_tick(session, settings_)) return *failed;
  report.plan_summary = plan_summary(session.plan);
  report.drift = drift_lines(session.plan);
  if (!session.plan.has_changes()) return {TickResult::kSuccess, ""};
  spdlog::info("applying {} ({}): {}", short_commit(report.commit), trigger, report.plan_summary);
  for (const std::string& line : report.drift) spdlog::info("drift: {}", line);
  RecordIntent intent;
  intent.kind = source.hold ? history::RecordKind::kRollback : history::RecordKind::kReconcile;
  if (source.hold) intent.rollback_of = source.hold->restored;
  std::optional<history::SourceInfo> config_source;
  if (settings_.remote)
    config_source =
        history::SourceInfo{source.commit, false, *settings_.remote + "/" + settings_.branch};
  LogProgress progress;
  Result<RecordedExecution> execution =
      execute_recorded(session, intent, config_source, progress, stop_, settings_.executor);
  if (!execution) return failure(execution.errors());
  report.applied = true;
  for (std::size_t i = 0; i < session.plan.actions.size(); ++i)
    if (execution->report.results[i].state == apply::ActionState::kDone)
      ++report.actions_done[std::string(plan::to_string(session.plan.actions[i].kind))];
  report.record_number = execution->record_number;
  reread_history(source.project_directory);
  if (!execution->record_number)
    return failure(execution->record_errors,
                   "the changes were made, but their record was not written: ");
  if (execution->report.succeeded()) return {TickResult::kSuccess, ""};
  if (execution->report.interrupted) {
    std::size_t done = execution->report.count(apply::ActionState::kDone);
    return {TickResult::kFailure, "interrupted: " + std::to_string(done) + " of " +
                                      std::to_string(session.plan.actions.size()) +
                                      " actions done (record #" +
                                      std::to_string(*execution->record_number) + ")"};
  }
  std::size_t failed = execution->report.count(apply::ActionState::kFailed);
  std::string first_failure;
  for (const apply::ActionResult& result : execution->report.results)
    if (result.state == apply::ActionState::kFailed && first_failure.empty())
      first_failure = ": " + result.message;
  return {TickResult::kFailure,
          std::to_string(failed) + " of " + std::to_string(session.plan.actions.size()) +
              " actions failed (record #" + std::to_string(*execution->record_number) + ")" +
              first_failure};
}

void ReconcileTick::keep_history(const std::vector<history::RecordSummary>& records) {
  recent_history_.assign(
      records.begin(),
      records.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(records.size(), 10)));
}

void ReconcileTick::reread_history(const std::string& project_directory) {
  Result<history::HistoryStore> store = history::HistoryStore::open(project_directory);
  if (!store) return;
  if (Result<std::vector<history::RecordSummary>> records =
          store->list(settings_.global.environment);
      records)
    keep_history(*records);
}

}  // namespace run::cli
