// run render: the merged, interpolated desired state of one environment.
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "render/document_json.h"
#include "render/document_yaml.h"

namespace run::cli {

namespace {

struct RenderFlags {
  bool show_origin = false;
  std::optional<std::string> revision;  ///< --revision REV: the configuration as committed there
};

ExitCode run_render(const GlobalOptions& global, const RenderFlags& flags) {
  Result<std::string> format = output_format(global, "render", {"yaml", "json"});
  if (!format) return fail(format.errors(), global);
  Result<app::ConfigTarget> target = open_config(global, flags.revision);
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
  CLI::App* command = app.add_subcommand(
      "render", "Print the merged, interpolated configuration of an environment");
  auto flags = std::make_shared<RenderFlags>();
  command->add_flag("--show-origin", flags->show_origin,
                    "Annotate every value with the file:line that set it");
  command
      ->add_option_function<std::string>(
          "--revision", [flags](const std::string& revision) { flags->revision = revision; },
          "The config as committed at git revision REV (no checkout; .env, secrets stay local)")
      ->type_name("REV");
  command->footer(
      "Prints run-config.yaml merged with environments/<env>.yaml and interpolated, as YAML\n"
      "(default) or JSON (-o json). Secrets are shown as (sensitive). Exit 1 when the\n"
      "configuration is invalid, with the same errors as 'run validate'. With --revision REV,\n"
      "the committed files are read from git at REV and named REV:path in origins and errors.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_render(global, *flags); };
  });
}

}  // namespace run::cli
