// run apply: plan, confirm, and carry the plan out under the environment's lock.
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "cli/change_command.h"
#include "cli/command_table.h"
#include "cli/output.h"

namespace run::cli {

namespace {

struct ApplyFlags {
  ChangeFlags change;
  std::string plan_file;
};

Result<std::string> read_plan_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return make_error(SourceLocation{path, 0, 0}, "", "cannot read the saved plan");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

ExitCode run_apply(const GlobalOptions& global, const ApplyFlags& flags) {
  std::optional<app::SavedPlanFile> saved;
  if (!flags.plan_file.empty()) {
    Result<std::string> text = read_plan_file(flags.plan_file);
    if (!text) return fail(text.errors(), global);
    saved = app::SavedPlanFile{flags.plan_file, std::move(*text)};
  }
  return run_configured_change(global, app::ConvergeMode::kApply, "apply", flags.change, saved);
}

}  // namespace

void add_apply_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand("apply", "Make an environment match its configuration");
  auto flags = std::make_shared<ApplyFlags>();
  add_change_flags(*command, flags->change);
  command->add_option("PLANFILE", flags->plan_file,
                      "A plan saved by 'run plan --out': applied only if nothing moved since");
  command->add_flag("--dry-run", flags->change.options.dry_run,
                    "Show the plan and stop; change nothing");
  command->footer(
      "Plans; with nothing to change it stops there, taking no lock. Otherwise it takes the\n"
      "environment's lock, plans again, shows the plan, asks (on a terminal; a protected\n"
      "environment asks for its name), then carries it out: images built from source first\n"
      "(a failed build deploys nothing), images pulled, networks and\n"
      "volumes made, containers created, replaced, updated in place and started in parallel\n"
      "(--parallelism), each service only once what it depends_on is started / healthy /\n"
      "completed. A replace stops the old container first unless the service sets\n"
      "update: { order: start-first }. Pre-deploy hooks run after the confirmation, before any\n"
      "change: one that fails stops the apply with nothing changed; post-deploy hooks run after\n"
      "the changes succeeded, and one that fails fails the apply. Ctrl-C lets running actions\n"
      "finish and starts nothing new (exit 130); a second Ctrl-C aborts. With PLANFILE, a plan\n"
      "whose configuration or environment moved since it was saved is refused (exit 1) and\n"
      "nothing is applied.\n"
      "On a swarm environment (target: swarm) it creates, updates or removes swarm services\n"
      "and waits until each rollout converged (--wait-timeout), with progress per service; a\n"
      "rollout the manager pauses or rolls back fails the apply.\n"
      "Exit 0 when everything was applied, 1 when anything failed (what was done, failed and\n"
      "skipped is listed; the next plan shows exactly what is left).");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_apply(global, *flags); };
  });
}

}  // namespace run::cli
