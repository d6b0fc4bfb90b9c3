#include "app/unfinished_deployment.h"

#include <algorithm>

#include "core/this_process.h"
#include "history/result_json.h"

namespace run::app {

namespace {

bool came_to_an_end(const history::ActionOutcome& action) {
  return action.state == "done" || action.state == "failed" || action.state == "skipped";
}

/// The result of a deployment record that did not finish; nullopt for any other.
std::optional<history::RecordResult> unfinished_result(const history::Record& newest) {
  const history::RecordSummary& summary = newest.summary;
  if (!history::is_deployment(summary.kind)) return std::nullopt;
  if (summary.outcome != history::Outcome::kInterrupted &&
      summary.outcome != history::Outcome::kInProgress)
    return std::nullopt;
  Result<history::RecordResult> result =
      history::result_from_json(newest.result_json, history::record_name(summary));
  if (!result) return std::nullopt;
  return std::move(*result);
}

bool still_running(const history::RecordResult& result, const WriterCheck& running) {
  return result.outcome == history::Outcome::kInProgress && result.writer &&
         running(*result.writer);
}

}  // namespace

bool writer_running(const history::RecordWriter& writer) {
  if (writer.host != this_host()) return true;
  return process_exists(writer.pid);
}

std::optional<plan::UnfinishedDeployment> unfinished_deployment(const history::Record& newest,
                                                                const WriterCheck& running) {
  std::optional<history::RecordResult> result = unfinished_result(newest);
  if (!result) return std::nullopt;
  plan::UnfinishedDeployment unfinished;
  unfinished.record = newest.summary.number;
  unfinished.kind = std::string(history::to_string(newest.summary.kind));
  unfinished.completed = static_cast<std::size_t>(
      std::count_if(result->actions.begin(), result->actions.end(), came_to_an_end));
  unfinished.total = result->actions.size();
  unfinished.running = still_running(*result, running);
  return unfinished;
}

std::optional<history::NewRecord> finalised_as_interrupted(const history::Record& newest,
                                                           const WriterCheck& running) {
  std::optional<history::RecordResult> result = unfinished_result(newest);
  if (!result || result->outcome != history::Outcome::kInProgress ||
      still_running(*result, running))
    return std::nullopt;
  history::NewRecord record;
  record.environment = newest.summary.environment;
  record.state_json = newest.state_json;
  record.plan_json = newest.plan_json;
  record.actor = newest.summary.author;
  record.result = std::move(*result);
  record.result.outcome = history::Outcome::kInterrupted;
  record.result.writer.reset();
  for (history::ActionOutcome& action : record.result.actions)
    if (action.state == "pending") {
      action.state = "interrupted";
      action.message = "its process ended before this action was recorded as complete";
    }
  return record;
}

Result<std::vector<history::RecordSummary>> records_as_they_read(const history::RecordStore& store,
                                                                 const std::string& environment) {
  Result<std::vector<history::RecordSummary>> records = store.list(environment);
  if (!records) return records;
  if (records->empty() || records->front().outcome != history::Outcome::kInProgress) return records;
  Result<std::optional<history::Record>> newest = store.latest(environment);
  if (!newest) return newest.errors();
  if (*newest && finalised_as_interrupted(**newest, writer_running))
    records->front().outcome = history::Outcome::kInterrupted;
  return records;
}

}  // namespace run::app
