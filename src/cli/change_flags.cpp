#include "cli/change_flags.h"

#include "cli/duration_flag.h"
#include "cli/flag_error.h"

namespace run::cli {

void add_prune_volumes_flag(CLI::App& command, app::ChangeOptions& options) {
  command.add_flag("--prune-volumes", options.prune_volumes,
                   "Also remove volumes no longer in the config (they hold data)");
}

void add_parallelism_option(CLI::App& command, std::size_t& parallelism,
                            const std::string& description) {
  command
      .add_option_function<std::size_t>(
          "--parallelism",
          [&parallelism](std::size_t value) {
            if (value == 0) throw FlagError({usage_error("--parallelism must be at least 1")});
            parallelism = value;
          },
          description)
      ->type_name("N");
}

void add_execution_flags(CLI::App& command, app::ChangeOptions& options) {
  add_parallelism_option(command, options.parallelism, "Actions in flight at once (default 4)");
  add_duration_option(command, "--wait-timeout", options.wait_timeout, ZeroDuration::kRefused,
                      "How long a dependency may take to be started/healthy/completed (default "
                      "120s)");
}

void add_change_flags(CLI::App& command, ChangeFlags& flags) {
  app::ChangeOptions& options = flags.options;
  command.add_flag_function(
      "--auto-approve",
      [&options](std::int64_t) { options.approval = app::Approval::kAutoApprove; },
      "Do not ask for confirmation");
  add_prune_volumes_flag(command, options);
  add_execution_flags(command, options);
  add_duration_option(command, "--lock-timeout", options.lock_wait, ZeroDuration::kAllowed,
                      "Wait this long for another apply's lock (default 0s: fail at once)");
  command
      .add_option("--progress", flags.progress,
                  "live (a terminal), plain, or json: one event per line on stderr")
      ->type_name("STYLE")
      ->check(CLI::IsMember({"live", "plain", "json"}));
}

}  // namespace run::cli
