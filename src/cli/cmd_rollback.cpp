// run rollback: deploy the desired state of an earlier record again.
#include "app/history_target.h"
#include "app/rollback.h"
#include "cli/change_command.h"
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/record_number_flag.h"
#include "cli/workspace.h"

namespace run::cli {

namespace {

struct RollbackFlags {
  ChangeFlags change;
  int to = 0;  ///< 0: the last successful record before the newest
};

ExitCode run_rollback(const GlobalOptions& global, const RollbackFlags& flags) {
  Result<std::string> format = output_format(global, "rollback", {"text"});
  if (!format) return fail(format.errors(), global);
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  Result<std::unique_ptr<app::LocalWorkspace>> workspace = open_workspace(global);
  if (!workspace) return fail(workspace.errors(), global);
  Result<app::HistoryTarget> history = app::open_history(**workspace);
  if (!history) return fail(history.errors(), global);
  std::optional<int> to = flags.to > 0 ? std::optional<int>(flags.to) : std::nullopt;
  Result<app::RollbackChoice> choice = app::choose_rollback(*history, to);
  if (!choice) return fail(choice.errors(), global);
  print_result("Rolling " + history->environment + " back to record #" +
               std::to_string(choice->number) + " (" + choice->record.time + ", " +
               choice->record.summary + ").\n");
  app::ConvergeRequest request;
  request.verb = "rollback";
  request.desired = std::move(choice->state);
  request.project_directory = history->config.directory;
  request.record.kind = history::RecordKind::kRollback;
  request.record.rollback_of = choice->number;
  request.options = flags.change.options;
  // A built image pruned since is rebuilt from the commit the record was made from.
  if (!choice->record.source_commit.empty()) request.build_revision = choice->record.source_commit;
  Diagnostics warnings;
  app::RollbackDestination destination = app::rollback_destination(*history, warnings);
  print_diagnostics(warnings, global);
  request.desired.target = destination.target;
  Result<std::unique_ptr<app::Engine>> engine =
      (*workspace)->engine(destination.engine, destination.target, request.project_directory);
  if (!engine) return fail(engine.errors(), global);
  return run_change(global, **workspace, **engine, request, flags.change, watch);
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
  add_change_flags(*command, flags->change);
  command->add_flag("--dry-run", flags->change.options.dry_run,
                    "Show the plan and stop; change nothing");
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
