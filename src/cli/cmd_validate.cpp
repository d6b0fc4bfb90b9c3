// run validate: every error of every environment (or of --env), as text or JSON.
#include <algorithm>

#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "render/diagnostics_render.h"

namespace run::cli {

namespace {

ExitCode run_validate(const GlobalOptions& global) {
  Result<std::string> format = output_format(global, "validate", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  Result<app::ConfigTarget> target = open_config(global);
  if (target) target->request.missing_secret = config::MissingSecret::kWarning;
  Diagnostics diagnostics =
      target ? config::validate_config(*target->files, target->request) : target.errors();
  if (*format == "json") {
    print_result(render::diagnostics_json(diagnostics));
    return has_errors(diagnostics) ? ExitCode::kError : ExitCode::kSuccess;
  }
  print_diagnostics(diagnostics, global);
  if (has_errors(diagnostics)) {
    auto count = std::count_if(diagnostics.begin(), diagnostics.end(),
                               [](const Diagnostic& d) { return d.severity == Severity::kError; });
    std::fprintf(stderr, "%ld error%s\n", static_cast<long>(count), count == 1 ? "" : "s");
    return ExitCode::kError;
  }
  std::string scope = target->request.environment ? "environment " + *target->request.environment
                                                  : "all environments";
  print_result("The configuration is valid (" + scope + ").\n");
  return ExitCode::kSuccess;
}

}  // namespace

void add_validate_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("validate", "Check the configuration and report every error");
  command->footer(
      "Validates run-config.yaml with each environment's overlay (all declared environments,\n"
      "or only --env), against the JSON Schema and the checks a schema cannot make\n"
      "(depends_on, cycles, host ports, mounts). Each error is FILE:LINE:COL: error: MESSAGE,\n"
      "with the JSON path and a hint. -o json prints {valid, errors, diagnostics[]} for CI.\n"
      "Exit 0 when valid, 1 when not.");
  command->callback([&global, &action] { action = [&global] { return run_validate(global); }; });
}

}  // namespace run::cli
