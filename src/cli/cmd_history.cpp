// run history: an environment's deployment records, newest first.
#include <algorithm>

#include "app/history_target.h"
#include "app/unfinished_deployment.h"
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "core/json_text.h"
#include "history/history_store.h"

namespace run::cli {

namespace {

/// "1fd3023abcde" or "1fd3023abcde+" (uncommitted changes), "-" outside git.
std::string config_text(const history::RecordSummary& record) {
  if (record.source_commit.empty()) return "-";
  return record.source_commit.substr(0, 12) + (record.source_dirty ? "+" : "");
}

/// Who ran it, shortened for a table: the name without the e-mail.
std::string actor_name(const std::string& author) {
  std::size_t open = author.find(" <");
  return open == std::string::npos ? author : author.substr(0, open);
}

std::string kind_text(const history::RecordSummary& record) {
  std::string kind(history::to_string(record.kind));
  if (record.rollback_of) kind += " to #" + std::to_string(*record.rollback_of);
  return kind;
}

/// The plan part of the summary ("1 to add, ..."): kind and outcome have their own columns.
std::string changes_text(const history::RecordSummary& record) {
  std::size_t colon = record.summary.find(": ");
  return colon == std::string::npos ? record.summary : record.summary.substr(colon + 2);
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string history_text(const std::string& environment,
                         const std::vector<history::RecordSummary>& records) {
  if (records.empty())
    return "Environment " + environment + " has no deployment records yet: 'run apply --env " +
           environment + "' writes the first.\n";
  std::vector<std::vector<std::string>> rows = {
      {"RECORD", "TIME", "OUTCOME", "KIND", "BY", "CONFIG", "CHANGES"}};
  for (const history::RecordSummary& record : records)
    rows.push_back({"#" + std::to_string(record.number), record.time,
                    std::string(history::to_string(record.outcome)), kind_text(record),
                    actor_name(record.author), config_text(record), changes_text(record)});
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i)
      line += i + 1 == row.size() ? row[i] : pad(row[i], widths[i] + 2);
    text += line + "\n";
  }
  return text;
}

std::string record_json(const history::RecordSummary& record) {
  std::string json =
      "{\"number\": " + std::to_string(record.number) +
      ", \"environment\": " + json_quote(record.environment) +
      ", \"commit\": " + json_quote(record.commit) + ", \"time\": " + json_quote(record.time) +
      ", \"author\": " + json_quote(record.author) +
      ", \"outcome\": " + json_quote(history::to_string(record.outcome)) +
      ", \"kind\": " + json_quote(history::to_string(record.kind)) +
      ", \"rollback_of\": " + (record.rollback_of ? std::to_string(*record.rollback_of) : "null") +
      ", \"source_commit\": " +
      (record.source_commit.empty() ? "null" : json_quote(record.source_commit)) +
      ", \"source_dirty\": " + (record.source_dirty ? "true" : "false") +
      ", \"summary\": " + json_quote(record.summary) + "}";
  return json;
}

std::string history_json(const std::string& environment,
                         const std::vector<history::RecordSummary>& records) {
  std::string json = "{\"format_version\": \"1\", \"environment\": " + json_quote(environment) +
                     ", \"ref\": " + json_quote(history::HistoryStore::ref_name(environment)) +
                     ", \"records\": [";
  for (std::size_t i = 0; i < records.size(); ++i)
    json += (i ? ",\n  " : "\n  ") + record_json(records[i]);
  return json + (records.empty() ? "]}\n" : "\n]}\n");
}

ExitCode run_history(const GlobalOptions& global) {
  Result<std::string> format = output_format(global, "history", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  Result<std::unique_ptr<app::LocalWorkspace>> workspace = open_workspace(global);
  if (!workspace) return fail(workspace.errors(), global);
  Result<app::HistoryTarget> target = app::open_history(**workspace);
  if (!target) return fail(target.errors(), global);
  Result<std::vector<history::RecordSummary>> records =
      app::records_as_they_read(*target->store, target->environment);
  if (!records) return fail(records.errors(), global);
  print_result(*format == "json" ? history_json(target->environment, *records)
                                 : history_text(target->environment, *records));
  return ExitCode::kSuccess;
}

}  // namespace

void add_history_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("history", "List an environment's deployment records, newest first");
  command->footer(
      "Every apply, destroy and rollback that changed something appends a record to the git\n"
      "ref refs/run/history/<env> (in the repository that holds the project, else in\n"
      ".run/history.git): a commit holding state.json, plan.json and result.json. CONFIG is the\n"
      "commit the configuration came from ('+': with uncommitted changes). An apply writes its\n"
      "record before its first change (OUTCOME in-progress) and updates it as each action\n"
      "completes; one whose process was killed reads as interrupted. 'run show N' shows\n"
      "one record; 'git log refs/run/history/<env>' reads the same story. -o json for scripts.");
  command->callback([&global, &action] { action = [&global] { return run_history(global); }; });
}

}  // namespace run::cli
