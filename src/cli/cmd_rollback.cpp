// run rollback: deploy the desired state of an earlier record again.
#include "cli/apply_run.h"
#include "cli/command_table.h"
#include "cli/history_target.h"
#include "cli/output.h"
#include "history/recorded_state.h"

namespace run::cli {

namespace {

struct RollbackFlags {
  ApplyFlags apply;
  int to = 0;  ///< 0: the last successful record before the newest
};

Diagnostic rollback_error(std::string message, std::string hint = {}) {
  return make_error(SourceLocation{}, "", std::move(message), std::move(hint));
}

/// The record to go back to: --to N, else the newest successful record older than the
/// newest record (which is the deployment being rolled back).
Result<int> target_number(const std::vector<history::RecordSummary>& records,
                          const std::string& environment, int to) {
  if (records.empty())
    return rollback_error("environment '" + environment +
                              "' has no deployment records: there is nothing to roll back to",
                          "records are written by 'run apply --env " + environment + "'");
  if (to != 0) return to;
  for (std::size_t i = 1; i < records.size(); ++i)
    if (records[i].outcome == history::Outcome::kSucceeded) return records[i].number;
  return rollback_error("environment '" + environment + "' has no successful record before #" +
                            std::to_string(records.front().number),
                        "'run history --env " + environment + "' lists them; pick one with --to N");
}

ExitCode run_rollback(const GlobalOptions& global, const RollbackFlags& flags) {
  Result<HistoryTarget> target = open_history(global);
  if (!target) return fail(target.errors(), global);
  const std::string& environment = target->environment;
  Result<std::vector<history::RecordSummary>> records = target->store.list(environment);
  if (!records) return fail(records.errors(), global);
  Result<int> number = target_number(*records, environment, flags.to);
  if (!number) return fail(number.errors(), global);
  Result<history::Record> record = target->store.read(environment, *number);
  if (!record) return fail(record.errors(), global);
  // Secrets are stored as references: today's values are looked up as for any apply.
  Result<config::InterpolationScope> scope =
      config::interpolation_scope(*target->config.files, target->config.request, environment);
  if (!scope) return fail(scope.errors(), global);
  Result<model::DesiredState> state = history::restored_state(*record, *scope);
  if (!state) return fail(state.errors(), global);
  print_result("Rolling " + environment + " back to record #" + std::to_string(*number) + " (" +
               record->summary.time + ", " + record->summary.summary + ").\n");
  ChangeRequest request;
  request.restore = std::move(*state);
  request.record.kind = history::RecordKind::kRollback;
  request.record.rollback_of = *number;
  GlobalOptions scoped = global;
  scoped.environment = environment;
  return run_changes(scoped, flags.apply, request);
}

}  // namespace

void add_rollback_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("rollback", "Deploy an earlier record's desired state again");
  auto flags = std::make_shared<RollbackFlags>();
  command
      ->add_option("--to", flags->to,
                   "The record to go back to (default: the last successful one before the newest)")
      ->type_name("N")
      ->check(record_number_check());
  add_change_flags(*command, flags->apply);
  command->add_flag("--dry-run", flags->apply.dry_run, "Show the plan and stop; change nothing");
  command->footer(
      "Reads the desired state stored in the record (not the configuration in the working tree,\n"
      "which may be broken or ahead), looks its secrets up again (RUN_SECRET_<NAME>,\n"
      ".run/secrets/<env>.env), then plans, asks and applies it like any apply, under the\n"
      "environment's lock. Needs no network and ignores a dirty working tree. The new record\n"
      "says it is a rollback of N; 'run reconcile' keeps the rolled-back state until a newer\n"
      "commit arrives.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_rollback(global, *flags); };
  });
}

}  // namespace run::cli
