// run explain: a value and the chain of files that set it.
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "config/explain.h"
#include "render/explanation_render.h"

namespace run::cli {

namespace {

ExitCode run_explain(const GlobalOptions& global, const std::string& path) {
  Result<std::string> format = output_format(global, "explain", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  Result<app::ConfigTarget> target = open_config(global);
  if (!target) return fail(target.errors(), global);
  target->request.missing_secret = config::MissingSecret::kWarning;  // values are never shown here
  Result<config::LoadedConfig> loaded = config::load_config(*target->files, target->request);
  if (!loaded) return fail(sorted_unique(loaded.errors()), global);
  Result<model::Explanation> explanation = config::explain_value(*loaded, path);
  if (!explanation) return fail(explanation.errors(), global);
  print_result(*format == "json" ? render::explanation_json(*explanation)
                                 : render::explanation_text(*explanation));
  return ExitCode::kSuccess;
}

}  // namespace

void add_explain_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("explain", "Show a value and the files that set it, base to overlay");
  auto path = std::make_shared<std::string>();
  command
      ->add_option("PATH", *path,
                   "A dotted path, e.g. services.worker.replicas or services.app.ports[0]")
      ->required();
  command->footer(
      "Prints the final value of PATH in the environment (--env), then each file that sets\n"
      "or removes it, with file:line:col, in merge order, and the value after interpolation\n"
      "when that differs. -o json for scripts. Exit 1 when no file sets PATH.");
  command->callback([&global, &action, path] {
    action = [&global, path] { return run_explain(global, *path); };
  });
}

}  // namespace run::cli
