// run show: one deployment record: who, when, from which config, what ran and how it went.
#include <cstdio>

#include "app/history_target.h"
#include "app/progress_task_view.h"
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/record_number_flag.h"
#include "cli/workspace.h"
#include "core/json_text.h"
#include "core/seconds_text.h"
#include "history/history_store.h"
#include "history/recorded_state.h"
#include "history/result_json.h"

namespace run::cli {

namespace {

struct ShowFlags {
  int number = 0;  ///< 0: the newest record
};

/// A record number, said in words: CLI::PositiveNumber's message is "not in range 0.000000 to
/// 1.797...e308".

std::string source_text(const history::SourceInfo& source) {
  if (source.commit.empty()) return "not in a git repository";
  std::string text = source.commit + (source.dirty ? " (with uncommitted changes)" : "");
  if (!source.revision.empty()) text += ", read at revision " + source.revision;
  return text;
}

std::string services_text(const model::DesiredState& state) {
  if (state.services.empty()) return "Services: none (the environment was emptied)\n";
  std::size_t width = 0;
  for (const model::ServiceSpec& service : state.services)
    width = std::max(width, service.name.size());
  std::string text = "Services:\n";
  for (const model::ServiceSpec& service : state.services) {
    text += "  " + service.name + std::string(width - service.name.size() + 2, ' ') + service.image;
    if (service.replicas != 1) text += " x" + std::to_string(service.replicas);
    text += "\n";
  }
  return text;
}

/// A task record's run, an apply's hooks: how each ended and its last lines.
std::string tasks_text(const std::vector<history::TaskOutcome>& tasks) {
  if (tasks.empty()) return {};
  std::string text = "\nTasks:\n";
  for (const history::TaskOutcome& task : tasks) {
    text += "  " + task.when + " task " + task.task + ": " + app::task_end_text(task) + "\n";
    for (const std::string& line : task.output) text += "      " + line + "\n";
  }
  return text;
}

std::string record_text(const history::Record& record, const history::RecordResult& result,
                        const model::DesiredState& state) {
  const history::RecordSummary& summary = record.summary;
  std::string text =
      summary.environment + " #" + std::to_string(summary.number) + ": " + summary.summary + "\n\n";
  text += "Commit:   " + summary.commit + " (" +
          history::HistoryStore::ref_name(summary.environment) + ")\n";
  text += "Time:     " + result.started_at + " to " + result.finished_at + " (" +
          seconds_text(result.seconds) + ")\n";
  text += "By:       " + summary.author + "\n";
  text += "Config:   " + source_text(result.source) + "\n";
  text += "Outcome:  " + std::string(history::to_string(result.outcome)) + "\n\n";
  text += "Actions:" + std::string(result.actions.empty() ? " none\n" : "\n");
  for (const history::ActionOutcome& action : result.actions) {
    text += "  " + action.state +
            std::string(action.state.size() < 12 ? 12 - action.state.size() : 1, ' ') +
            action.kind + " " + action.resource + " " + action.name + " (" +
            seconds_text(action.seconds) + ")";
    if (!action.message.empty()) text += ": " + action.message;
    text += "\n";
    for (const std::string& line : action.diagnostics) text += "      " + line + "\n";
  }
  text += tasks_text(result.tasks);
  return text + "\n" + services_text(state);
}

std::string record_json(const history::Record& record) {
  const history::RecordSummary& summary = record.summary;
  return "{\"format_version\": \"1\", \"number\": " + std::to_string(summary.number) +
         ", \"environment\": " + json_quote(summary.environment) +
         ", \"commit\": " + json_quote(summary.commit) +
         ", \"author\": " + json_quote(summary.author) + ", \"time\": " + json_quote(summary.time) +
         ",\n\"result\": " + record.result_json + ",\n\"plan\": " + record.plan_json +
         ",\n\"state\": " + record.state_json + "}\n";
}

ExitCode run_show(const GlobalOptions& global, const ShowFlags& flags) {
  Result<std::string> format = output_format(global, "show", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  Result<std::unique_ptr<app::LocalWorkspace>> workspace = open_workspace(global);
  if (!workspace) return fail(workspace.errors(), global);
  Result<app::HistoryTarget> target = app::open_history(**workspace);
  if (!target) return fail(target.errors(), global);
  int number = flags.number;
  if (number == 0) {
    // The whole chain is read (not only its tip) so that a damaged ref is reported here too.
    Result<std::vector<history::RecordSummary>> records = target->store->list(target->environment);
    if (!records) return fail(records.errors(), global);
    if (records->empty())
      return fail(
          {make_error(SourceLocation{}, "",
                      "environment '" + target->environment + "' has no deployment records yet",
                      "records are written by 'run apply --env " + target->environment + "'")},
          global);
    number = records->front().number;
  }
  Result<history::Record> record = target->store->read(target->environment, number);
  if (!record) return fail(record.errors(), global);
  if (*format == "json") {
    print_result(record_json(*record));
    return ExitCode::kSuccess;
  }
  Result<history::RecordResult> result = history::result_from_json(
      record->result_json, history::record_name(record->summary) + ": result.json");
  if (!result) return fail(result.errors(), global);
  Result<model::DesiredState> state = history::recorded_state(*record);
  if (!state) return fail(state.errors(), global);
  print_result(record_text(*record, *result, *state));
  return ExitCode::kSuccess;
}

}  // namespace

void add_show_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("show", "Show one deployment record (default: the newest)");
  auto flags = std::make_shared<ShowFlags>();
  command->add_option("N", flags->number, "The record's number, as 'run history' lists it")
      ->check(record_number_check());
  command->footer(
      "Shows who deployed, when, from which commit of the configuration, each action with its\n"
      "outcome and duration, and the services of the recorded state. -o json gives the\n"
      "record's three files (result, plan, state) in one object.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_show(global, *flags); };
  });
}

}  // namespace run::cli
