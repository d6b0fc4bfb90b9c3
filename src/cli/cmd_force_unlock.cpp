// run force-unlock: remove an environment's lock left by a run that is gone.
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "docker/environment_lock.h"

namespace run::cli {

namespace {

ExitCode run_force_unlock(const GlobalOptions& global) {
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  const model::DesiredState& desired = open->loaded.desired;
  Result<std::optional<docker::LockHolder>> removed =
      open->engine->force_unlock(desired.project, desired.environment);
  if (!removed) return fail(removed.errors(), global);
  if (!*removed) {
    print_result(desired.project + "/" + desired.environment + " is not locked.\n");
    return ExitCode::kSuccess;
  }
  const docker::LockHolder& holder = **removed;
  print_result("Removed the lock of " + desired.project + "/" + desired.environment + " held by " +
               holder.holder + " (pid " + holder.pid + ", " + holder.command + " since " +
               holder.since + ").\n");
  return ExitCode::kSuccess;
}

}  // namespace

void add_force_unlock_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand(
      "force-unlock", "Remove an environment's lock left behind by a run that is gone");
  command->footer(
      "An apply or destroy holds its environment's lock (a container named\n"
      "run-lock-<project>-<env> on the daemon) and releases it on every exit path; a killed\n"
      "process cannot. Make sure the holder named here is gone before you run this.");
  command->callback(
      [&global, &action] { action = [&global] { return run_force_unlock(global); }; });
}

}  // namespace run::cli
