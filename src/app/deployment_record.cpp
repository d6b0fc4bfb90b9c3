#include "app/deployment_record.h"

#include <algorithm>
#include <ctime>

#include "history/state_json.h"
#include "render/plan_json.h"
#include "render/plan_text.h"

namespace run::app {

namespace {

history::Outcome outcome_of(const apply::ExecutionReport& report,
                            const std::vector<history::TaskOutcome>& hooks) {
  bool hook_interrupted = !hooks.empty() && hooks.back().end == history::TaskEnd::kInterrupted;
  if (report.interrupted || hook_interrupted) return history::Outcome::kInterrupted;
  bool hooks_ok = std::all_of(hooks.begin(), hooks.end(),
                              [](const history::TaskOutcome& hook) { return hook.succeeded(); });
  return report.succeeded() && hooks_ok ? history::Outcome::kSucceeded : history::Outcome::kFailed;
}

/// An action that never left the queue is "not-started" in the record: "pending" would read
/// as if it were still going to run.
std::string state_text(apply::ActionState state) {
  return state == apply::ActionState::kPending ? "not-started"
                                               : std::string(apply::to_string(state));
}

}  // namespace

std::string plan_summary(const plan::Plan& plan) {
  std::string line = render::summary_line(plan);
  if (line.starts_with("Plan: ")) line.erase(0, 6);
  if (!line.empty() && line.back() == '.') line.pop_back();
  return line;
}

std::string iso_utc(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&seconds));
  return text;
}

history::NewRecord deployment_record(const model::DesiredState& desired, const plan::Plan& plan,
                                     const apply::ExecutionReport& report,
                                     const std::vector<history::TaskOutcome>& hooks,
                                     const RecordIntent& intent, const history::SourceInfo& source,
                                     std::chrono::system_clock::time_point started,
                                     std::chrono::system_clock::time_point finished) {
  history::NewRecord record;
  record.environment = desired.environment;
  record.state_json = history::state_to_json(desired);
  record.plan_json = render::plan_json(plan);
  history::RecordResult& result = record.result;
  result.outcome = outcome_of(report, hooks);
  result.kind = intent.kind;
  result.rollback_of = intent.rollback_of;
  result.started_at = iso_utc(started);
  result.finished_at = iso_utc(finished);
  result.seconds = std::chrono::duration<double>(finished - started).count();
  result.source = source;
  result.source.revision = intent.revision;
  result.summary = plan_summary(plan);
  for (std::size_t i = 0; i < plan.actions.size(); ++i)
    result.actions.push_back(action_outcome(plan.actions[i], report.results[i]));
  result.tasks = hooks;
  return record;
}

history::ActionOutcome action_outcome(const plan::Action& action,
                                      const apply::ActionResult& result) {
  return {std::string(plan::to_string(action.kind)),
          std::string(plan::to_string(action.resource)),
          action.name,
          state_text(result.state),
          result.message,
          result.seconds,
          result.diagnostics};
}

history::NewRecord in_progress_record(const model::DesiredState& desired, const plan::Plan& plan,
                                      const RecordIntent& intent, const history::SourceInfo& source,
                                      std::chrono::system_clock::time_point started,
                                      const history::RecordWriter& writer) {
  apply::ExecutionReport nothing_yet{std::vector<apply::ActionResult>(plan.actions.size()), false};
  history::NewRecord record =
      deployment_record(desired, plan, nothing_yet, {}, intent, source, started, started);
  record.result.outcome = history::Outcome::kInProgress;
  for (history::ActionOutcome& action : record.result.actions) action.state = "pending";
  record.result.writer = writer;
  return record;
}

}  // namespace run::app
