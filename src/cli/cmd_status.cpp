// run status: per service, replicas, health, image, and drift from the config.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "app/deployment_sources.h"
#include "app/environment_plan.h"
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "plan/environment_status.h"
#include "render/status_render.h"

namespace run::cli {

namespace {

struct StatusFlags {
  bool watch = false;
};

Result<std::string> status_once(app::Engine& engine, const app::Workspace& workspace,
                                const app::LoadedEnvironment& loaded, const std::string& format,
                                bool color) {
  Result<app::EnvironmentPlan> planned =
      app::plan_environment(engine, workspace, loaded.project_directory, loaded.desired, {});
  if (!planned) return planned.errors();
  Result<std::map<std::string, std::string>> sources =
      app::deployment_sources(workspace, loaded.project_directory, loaded.desired);
  if (!sources) return sources.errors();
  plan::EnvironmentStatus status =
      plan::environment_status(planned->desired, planned->observed, planned->plan, *sources);
  if (format == "json") return render::status_json(status);
  return render::status_text(status, color ? render::Color::kYes : render::Color::kNo);
}

ExitCode run_status(const GlobalOptions& global, const StatusFlags& flags) {
  Result<std::string> format = output_format(global, "status", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  bool color = color_enabled(global, STDOUT_FILENO);
  bool terminal = ::isatty(STDOUT_FILENO) == 1;
  while (true) {
    Result<std::string> text =
        status_once(*open->engine, *open->workspace, open->loaded, *format, color);
    if (!text) return fail(text.errors(), global);
    if (flags.watch && terminal && *format == "text") print_result("\033[H\033[2J");
    print_result(*text);
    if (!flags.watch) return ExitCode::kSuccess;
    std::this_thread::sleep_for(std::chrono::seconds(2));
    if (!terminal) print_result("\n");
  }
}

}  // namespace

void add_status_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("status", "Show each service's replicas, health, image and drift");
  auto flags = std::make_shared<StatusFlags>();
  command->add_flag("--watch", flags->watch, "Refresh every 2 seconds until Ctrl-C");
  command->footer(
      "For each service: replicas running of those the config asks for, health, image, and\n"
      "whether it drifted from the config (what 'run plan' would still do to it). Containers\n"
      "of services no longer in the config are listed as such. An unhealthy replica gets a line\n"
      "with the last output of its health check (secrets redacted). Reads only. -o json for\n"
      "scripts.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_status(global, *flags); };
  });
}

}  // namespace run::cli
