// run destroy: remove what run made for an environment.
#include "cli/change_command.h"
#include "cli/command_table.h"

namespace run::cli {

void add_destroy_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand(
      "destroy", "Remove an environment's containers and networks (volumes with --prune-volumes)");
  auto flags = std::make_shared<ChangeFlags>();
  add_change_flags(*command, *flags);
  command->add_flag("--dry-run", flags->options.dry_run, "Show what would be removed and stop");
  command->footer(
      "Plans the environment against an empty configuration and applies that, under the same\n"
      "lock and with the same confirmation as apply: every container and network run made for\n"
      "the environment goes; volumes only with --prune-volumes, since they hold data. Nothing\n"
      "run did not make is touched.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] {
      return run_configured_change(global, app::ConvergeMode::kDestroy, "destroy", *flags);
    };
  });
}

}  // namespace run::cli
