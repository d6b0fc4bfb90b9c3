// run render: the merged, interpolated desired state of one environment.
#include "cli/command_table.h"
#include "cli/config_target.h"
#include "cli/output.h"
#include "render/document_json.h"
#include "render/document_yaml.h"

namespace run::cli {

namespace {

struct RenderFlags {
  bool show_origin = false;
};

ExitCode run_render(const GlobalOptions& global, const RenderFlags& flags) {
  Result<std::string> format = output_format(global, "render", {"yaml", "json"});
  if (!format) return fail(format.errors(), global);
  Result<ConfigTarget> target = resolve_config_target(global);
  if (!target) return fail(target.errors(), global);
  target->request.missing_secret = config::MissingSecret::kWarning;  // values are never shown here
  Result<config::LoadedConfig> loaded = config::load_config(*target->files, target->request);
  if (!loaded) return fail(sorted_unique(loaded.errors()), global);
  auto show_origin = flags.show_origin ? render::ShowOrigin::kYes : render::ShowOrigin::kNo;
  if (*format == "json") {
    print_result(render::render_json(loaded->merged, show_origin));
    return ExitCode::kSuccess;
  }
  print_result(render::render_yaml(loaded->merged, show_origin));
  return ExitCode::kSuccess;
}

}  // namespace

void add_render_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand("render", "Print the merged, interpolated configuration of an environment");
  auto flags = std::make_shared<RenderFlags>();
  command->add_flag("--show-origin", flags->show_origin, "Annotate every value with the file:line that set it");
  command->footer(
      "Prints run-config.yaml merged with environments/<env>.yaml and interpolated, as YAML\n"
      "(default) or JSON (-o json). Secrets are shown as (sensitive). Exit 1 when the\n"
      "configuration is invalid, with the same errors as 'run validate'.");
  command->callback([&global, &action, flags] { action = [&global, flags] { return run_render(global, *flags); }; });
}

}  // namespace run::cli
