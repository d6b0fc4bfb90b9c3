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
#include "history/remote_fetch.h"
#include "history/state_json.h"
#include "reconcile/rollback_hold.h"
#include "render/plan_text.h"

namespace run::cli {

namespace {

using reconcile::TickReport;
using reconcile::TickResult;

std::string short_commit(const std::string& commit) { return commit.empty() ? "working tree" : commit.substr(0, 7); }

/// The first error as one line, with its place when it has one.
std::string first_error(const Diagnostics& errors) {
  if (errors.empty()) return "unknown error";
  const Diagnostic& error = errors.front();
  std::string place = error.location.file.empty() ? "" : error.location.file + ":" + std::to_string(error.location.line) + ": ";
  std::string more = errors.size() > 1 ? " (and " + std::to_string(errors.size() - 1) + " more)" : "";
  return place + error.message + more;
}

/// Logs every action as it ends: a loop has no terminal to draw progress on.
class LogProgress final : public apply::ProgressSink {
 public:
  void started(std::size_t, const plan::Action&) override {}
  void finished(std::size_t, const plan::Action& action, const apply::ActionResult& result) override {
    auto level = result.state == apply::ActionState::kDone ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(level, "{} {} {}: {}{}", plan::to_string(action.kind), plan::to_string(action.resource), action.name,
                apply::to_string(result.state), result.message.empty() ? "" : " (" + result.message + ")");
  }
  void note(const std::string& text) override { spdlog::debug("{}", text); }
};

/// "container shop-dev-web-1: not running (start)" for each action live drift caused.
std::vector<std::string> drift_lines(const plan::Plan& plan) {
  std::vector<std::string> lines;
  for (const plan::Action& action : plan.actions)
    if (action.drift && *action.drift != plan::DriftCause::kDesiredChange)
      lines.push_back(std::string(plan::to_string(action.resource)) + " " + action.name + ": " + action.reason + " (" +
                      std::string(plan::to_string(action.kind)) + ")");
  return lines;
}

std::string summary_of(const plan::Plan& plan) {
  std::string line = render::summary_line(plan);
  if (line.starts_with("Plan: ")) line.erase(0, 6);
  if (!line.empty() && line.back() == '.') line.pop_back();
  return line;
}

/// What one tick found before it acts: the commit, the records and a hold.
struct TickSource {
  std::string project_directory;
  std::string commit;
  std::vector<history::RecordSummary> records;
  std::optional<reconcile::RollbackHold> hold;
};

Result<TickSource> find_source(const ReconcileSettings& settings) {
  Result<ConfigTarget> target = resolve_config_target(settings.global);
  if (!target) return target.errors();
  TickSource source{target->directory, "", {}, std::nullopt};
  Result<history::HistoryStore> store = history::HistoryStore::open(source.project_directory);
  if (!store) return store.errors();
  if (settings.remote) {
    Result<history::FetchedBranch> fetched = history::fetch_branch(source.project_directory, *settings.remote, settings.branch);
    if (!fetched) return fetched.errors();
    source.commit = fetched->commit_id;
  } else {
    source.commit = store->source_info().commit;
  }
  std::string environment = settings.global.environment;
  Result<std::vector<history::RecordSummary>> records = store->list(environment);
  if (!records) return records.errors();
  source.records = std::move(*records);
  source.hold = reconcile::rollback_hold(source.records, source.commit);
  return source;
}

/// The state a hold keeps: the rollback record's, with today's secrets.
Result<PlanSession> held_session(const ReconcileSettings& settings, const reconcile::RollbackHold& hold) {
  Result<ConfigTarget> target = resolve_config_target(settings.global);
  if (!target) return target.errors();
  Result<history::HistoryStore> store = history::HistoryStore::open(target->directory);
  if (!store) return store.errors();
  const std::string& environment = settings.global.environment;
  Result<history::Record> record = store->read(environment, hold.rollback_record);
  if (!record) return record.errors();
  Result<model::DesiredState> state =
      history::state_from_json(record->state_json, "record #" + std::to_string(hold.rollback_record) + " of " + environment + ": state.json");
  if (!state) return state.errors();
  Result<config::InterpolationScope> scope = config::interpolation_scope(*target->files, target->request, environment);
  if (!scope) return scope.errors();
  if (Status resolved = history::resolve_secrets(*state, *scope); !resolved) return resolved.errors();
  return open_session_for_state(settings.global, std::move(*state));
}

}  // namespace

ReconcileTick::ReconcileTick(ReconcileSettings settings, const std::atomic<bool>& stop) : settings_(std::move(settings)), stop_(stop) {}

reconcile::TickReport ReconcileTick::run(const std::string& trigger) {
  auto started = std::chrono::steady_clock::now();
  TickReport report;
  auto finish = [&](TickResult result, std::string error = {}) {
    report.result = result;
    report.error = std::move(error);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.finished_at = iso_utc(std::chrono::system_clock::now());
    if (result == TickResult::kSuccess) applied_commit_ = report.commit;
    return report;
  };
  Result<TickSource> source = find_source(settings_);
  if (!source) return finish(TickResult::kFailure, first_error(source.errors()));
  report.commit = source->commit;
  set_log_field(LogField::kCommit, report.commit);
  recent_history_.assign(source->records.begin(), source->records.begin() + std::min<std::size_t>(source->records.size(), 10));
  if (source->hold) report.hold_of = source->hold->restored;
  spdlog::debug("tick ({}): config at {}{}", trigger, short_commit(report.commit),
                source->hold ? ", rollback hold: keeping record #" + std::to_string(source->hold->rollback_record) : "");

  std::optional<std::string> revision = settings_.remote ? std::optional<std::string>(source->commit) : std::nullopt;
  Result<PlanSession> session = source->hold ? held_session(settings_, *source->hold) : open_session(settings_.global, revision);
  if (!session) return finish(TickResult::kFailure, "config at " + short_commit(report.commit) + ": " + first_error(session.errors()));
  project_ = session->desired.project;
  // A hold reads no configuration: the webhook stays the one last read.
  if (!source->hold) webhook_url_ = config::notify_settings(session->config).webhook_url;

  Result<docker::EnvironmentLock> lock = docker::EnvironmentLock::acquire(*session->docker, session->desired.project,
                                                                          session->desired.environment, "reconcile",
                                                                          std::chrono::milliseconds(0), &stop_);
  if (!lock) {
    Result<std::optional<docker::LockHolder>> holder =
        docker::lock_holder(*session->docker, session->desired.project, session->desired.environment);
    if (holder && *holder)
      return finish(TickResult::kSkipped, "locked by " + (*holder)->holder + " (" + (*holder)->command + " since " + (*holder)->since + ")");
    return finish(TickResult::kFailure, first_error(lock.errors()));
  }
  plan::PlanOptions options{settings_.prune_volumes, plan::PlanPurpose::kConverge};
  if (Status planned = observe_and_plan(*session, options); !planned) return finish(TickResult::kFailure, first_error(planned.errors()));
  if (!session->plan.errors.empty()) return finish(TickResult::kFailure, first_error(session->plan.errors));
  report.plan_summary = summary_of(session->plan);
  report.drift = drift_lines(session->plan);
  if (!session->plan.has_changes()) {
    if (Status released = lock->release(); !released) spdlog::warn("{}", first_error(released.errors()));
    return finish(TickResult::kSuccess);
  }
  spdlog::info("applying {} ({}): {}", short_commit(report.commit), trigger, report.plan_summary);
  for (const std::string& line : report.drift) spdlog::info("drift: {}", line);

  RecordIntent intent;
  intent.kind = source->hold ? history::RecordKind::kRollback : history::RecordKind::kReconcile;
  if (source->hold) intent.rollback_of = source->hold->restored;
  std::optional<history::SourceInfo> config_source;
  if (settings_.remote) config_source = history::SourceInfo{source->commit, false, *settings_.remote + "/" + settings_.branch};
  LogProgress progress;
  Result<RecordedExecution> execution = execute_recorded(*session, intent, config_source, progress, stop_, settings_.executor);
  if (Status released = lock->release(); !released) spdlog::warn("{}", first_error(released.errors()));
  if (!execution) return finish(TickResult::kFailure, first_error(execution.errors()));
  report.applied = true;
  for (std::size_t i = 0; i < session->plan.actions.size(); ++i)
    if (execution->report.results[i].state == apply::ActionState::kDone)
      ++report.actions_done[std::string(plan::to_string(session->plan.actions[i].kind))];
  report.record_number = execution->record_number;
  if (Result<history::HistoryStore> store = history::HistoryStore::open(source->project_directory); store)
    if (Result<std::vector<history::RecordSummary>> records = store->list(settings_.global.environment); records)
      recent_history_.assign(records->begin(), records->begin() + std::min<std::size_t>(records->size(), 10));
  if (!execution->record_number)
    return finish(TickResult::kFailure, "the changes were made, but their record was not written: " + first_error(execution->record_errors));
  if (!execution->report.succeeded()) {
    std::size_t failed = execution->report.count(apply::ActionState::kFailed);
    return finish(TickResult::kFailure, std::to_string(failed) + " of " + std::to_string(session->plan.actions.size()) +
                                            " actions failed (record #" + std::to_string(*execution->record_number) + ")");
  }
  return finish(TickResult::kSuccess);
}

}  // namespace run::cli
