// run plan: what apply would change, and why, as text, markdown or JSON.
#include <unistd.h>

#include <fstream>

#include "app/environment_plan.h"
#include "app/saved_plan_file.h"
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "render/plan_json.h"
#include "render/plan_markdown.h"
#include "render/plan_text.h"

namespace run::cli {

namespace {

struct PlanFlags {
  std::string out_file;
  bool detailed_exitcode = false;
  bool prune_volumes = false;
  std::optional<std::string>
      revision;  ///< --revision REV: plan the configuration as committed there
};

std::string rendered(const plan::Plan& plan, const std::string& format,
                     const GlobalOptions& global) {
  if (format == "json") return render::plan_json(plan);
  if (format == "markdown") return render::plan_markdown(plan);
  bool color = color_enabled(global, STDOUT_FILENO);
  return render::plan_text(plan, color ? render::Color::kYes : render::Color::kNo);
}

Status write_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) return make_error(SourceLocation{path, 0, 0}, "", "cannot write the plan file");
  return ok_status();
}

/// Loads the environment (at the revision, when one is named) and plans it.
Result<app::EnvironmentPlan> make_plan(const GlobalOptions& global, const PlanFlags& flags) {
  Result<OpenEnvironment> open = open_environment(global, flags.revision);
  if (!open) return open.errors();
  return app::plan_environment(*open->engine, *open->workspace, open->loaded.project_directory,
                               std::move(open->loaded.desired),
                               plan::PlanOptions{flags.prune_volumes});
}

ExitCode run_plan(const GlobalOptions& global, const PlanFlags& flags) {
  Result<std::string> format = output_format(global, "plan", {"text", "markdown", "json"});
  if (!format) return fail(format.errors(), global);
  Result<app::EnvironmentPlan> planned = make_plan(global, flags);
  if (!planned) return fail(planned.errors(), global);
  const plan::Plan& plan = planned->plan;
  if (!plan.errors.empty()) {
    // Scripts and PR comments get the errors in their own format too; the exit code is 1.
    if (*format != "text") print_result(rendered(plan, *format, global));
    return fail(plan.errors, global);
  }
  if (!flags.out_file.empty()) {
    if (Status written = write_file(flags.out_file, app::saved_plan_json(*planned)); !written)
      return fail(written.errors(), global);
  }
  print_result(rendered(plan, *format, global));
  if (flags.detailed_exitcode && plan.has_changes()) return ExitCode::kChanges;
  return ExitCode::kSuccess;
}

}  // namespace

void add_plan_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("plan", "Show what apply would change in an environment, and why");
  auto flags = std::make_shared<PlanFlags>();
  command
      ->add_option("--out", flags->out_file,
                   "Also save the plan, with fingerprints of both states, to FILE")
      ->type_name("FILE");
  command->add_flag("--detailed-exitcode", flags->detailed_exitcode,
                    "Exit 2 when there are changes (0: none, 1: error)");
  command->add_flag("--prune-volumes", flags->prune_volumes,
                    "Also remove volumes no longer in the config (they hold data)");
  command
      ->add_option_function<std::string>(
          "--revision", [flags](const std::string& revision) { flags->revision = revision; },
          "The config as committed at git revision REV (no checkout; .env, secrets stay local)")
      ->type_name("REV");
  command->footer(
      "Compares the environment's configuration with the containers, networks and volumes that\n"
      "run created on the environment's Docker engine (its engine:, else DOCKER_HOST, else\n"
      "DOCKER_CONTEXT or the docker CLI's current context, else unix:///var/run/docker.sock) and\n"
      "lists the smallest set of actions, each with its cause and field changes:\n"
      "  +  create    a replica has no container\n"
      "  ~  update    only cpu, memory or restart policy differ (changed in place)\n"
      "  -/+ replace  any other field, or the image behind the tag, changed\n"
      "  >  start     the container is right but not running\n"
      "  -  remove    a replica above `replicas`, or a service no longer in the config\n"
      "  *  build     no image has the content hash of a build: section's inputs (its cause\n"
      "               names the files, args or target that changed since the last deployment)\n"
      "On a swarm environment (target: swarm) it compares each swarm service's spec with the\n"
      "config field by field: create, update (the fields that changed, also by hand) or\n"
      "remove a service.\n"
      "A plan with changes ends with its hooks (tasks with when: pre-deploy or post-deploy):\n"
      "whether each runs, and why (run_if_changed names the paths that must change).\n"
      "-o markdown writes a pull-request comment, -o json the format of docs/output-contract.md.\n"
      "--revision REV plans the configuration committed at REV against the live environment.\n"
      "Plan only reads: it sends no request but GET to Docker. Exit 0, or 2 with\n"
      "--detailed-exitcode when there are changes; 1 on error.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_plan(global, *flags); };
  });
}

}  // namespace run::cli
