#include "history/record_message.h"

#include <charconv>
#include <cstdio>
#include <map>

#include "core/seconds_text.h"

namespace run::history {

namespace {

constexpr std::string_view kTrailerPrefix = "Run-";

/// What happened, in words: "apply succeeded", "rollback to #10 failed".
std::string what_happened(RecordKind kind, std::optional<int> rollback_of, Outcome outcome) {
  std::string what(to_string(kind));
  if (kind == RecordKind::kRollback && rollback_of) what += " to #" + std::to_string(*rollback_of);
  return what + " " +
         (outcome == Outcome::kInProgress ? "in progress" : std::string(to_string(outcome)));
}

std::optional<int> positive_number(std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::map<std::string, std::string, std::less<>> trailers_of(std::string_view message) {
  std::map<std::string, std::string, std::less<>> trailers;
  std::size_t start = 0;
  while (start < message.size()) {
    std::size_t end = message.find('\n', start);
    std::string_view line =
        message.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (line.starts_with(kTrailerPrefix)) {
      if (std::size_t colon = line.find(": "); colon != std::string_view::npos)
        trailers[std::string(line.substr(0, colon))] = std::string(line.substr(colon + 2));
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return trailers;
}

}  // namespace

RecordSummary summary_for(const NewRecord& record, int number) {
  RecordSummary summary;
  summary.number = number;
  summary.environment = record.environment;
  summary.outcome = record.result.outcome;
  summary.kind = record.result.kind;
  summary.rollback_of = record.result.rollback_of;
  summary.source_commit = record.result.source.commit;
  summary.source_dirty = record.result.source.dirty;
  summary.summary = what_happened(summary.kind, summary.rollback_of, summary.outcome) + ": " +
                    record.result.summary;
  return summary;
}

std::string record_message(const RecordSummary& summary, const RecordResult& result) {
  std::string message =
      summary.environment + " #" + std::to_string(summary.number) + ": " + summary.summary + "\n\n";
  if (result.source.commit.empty())
    message += "Config: not in a git repository\n";
  else
    message += "Config: " + result.source.commit.substr(0, 12) +
               (result.source.dirty ? " (with uncommitted changes)" : "") + "\n";
  if (!result.source.revision.empty()) message += "Revision: " + result.source.revision + "\n";
  std::size_t done = 0;
  std::size_t failed = 0;
  for (const ActionOutcome& action : result.actions) {
    if (action.state == "done") ++done;
    if (action.state == "failed") ++failed;
  }
  message += "Actions: " + std::to_string(done) + " done, " + std::to_string(failed) + " failed, " +
             std::to_string(result.actions.size() - done - failed) + " not done, in " +
             seconds_text(result.seconds) + "\n";
  for (const ActionOutcome& action : result.actions) {
    if (action.state == "done") continue;
    message += "  " + action.state + ": " + action.kind + " " + action.resource + " " +
               action.name + (action.message.empty() ? "" : " (" + action.message + ")") + "\n";
  }
  message += "\nRun-Record: " + std::to_string(summary.number) + "\n";
  message += "Run-Environment: " + summary.environment + "\n";
  message += "Run-Kind: " + std::string(to_string(summary.kind)) + "\n";
  message += "Run-Outcome: " + std::string(to_string(summary.outcome)) + "\n";
  if (summary.rollback_of)
    message += "Run-Rollback-Of: " + std::to_string(*summary.rollback_of) + "\n";
  if (!summary.source_commit.empty()) {
    message += "Run-Source: " + summary.source_commit + "\n";
    message += std::string("Run-Source-Dirty: ") + (summary.source_dirty ? "true" : "false") + "\n";
  }
  return message;
}

Result<RecordSummary> parse_record_message(std::string_view message) {
  auto fail = [](std::string what) { return make_error(SourceLocation{}, "", std::move(what)); };
  auto trailers = trailers_of(message);
  RecordSummary summary;
  auto number = trailers.find("Run-Record");
  if (number == trailers.end()) return fail("no Run-Record trailer");
  std::optional<int> parsed = positive_number(number->second);
  if (!parsed) return fail("Run-Record '" + number->second + "' is not a record number");
  summary.number = *parsed;
  auto environment = trailers.find("Run-Environment");
  if (environment == trailers.end() || environment->second.empty())
    return fail("no Run-Environment trailer");
  summary.environment = environment->second;
  auto kind = trailers.find("Run-Kind");
  std::optional<RecordKind> parsed_kind =
      kind == trailers.end() ? std::nullopt : record_kind_from(kind->second);
  if (!parsed_kind) return fail("no valid Run-Kind trailer");
  summary.kind = *parsed_kind;
  auto outcome = trailers.find("Run-Outcome");
  std::optional<Outcome> parsed_outcome =
      outcome == trailers.end() ? std::nullopt : outcome_from(outcome->second);
  if (!parsed_outcome) return fail("no valid Run-Outcome trailer");
  summary.outcome = *parsed_outcome;
  if (auto rollback = trailers.find("Run-Rollback-Of"); rollback != trailers.end()) {
    summary.rollback_of = positive_number(rollback->second);
    if (!summary.rollback_of)
      return fail("Run-Rollback-Of '" + rollback->second + "' is not a record number");
  }
  if (auto source = trailers.find("Run-Source"); source != trailers.end())
    summary.source_commit = source->second;
  if (auto dirty = trailers.find("Run-Source-Dirty"); dirty != trailers.end())
    summary.source_dirty = dirty->second == "true";
  std::string_view subject = message.substr(0, message.find('\n'));
  std::string prefix = summary.environment + " #" + std::to_string(summary.number) + ": ";
  summary.summary =
      std::string(subject.starts_with(prefix) ? subject.substr(prefix.size()) : subject);
  return summary;
}

}  // namespace run::history
