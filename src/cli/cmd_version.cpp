// run version: the version of this binary.
#include "cli/command_table.h"
#include "cli/output.h"
#include "core/json_text.h"

#ifndef RUN_VERSION
#define RUN_VERSION "0.0.0"
#endif

namespace run::cli {

namespace {

ExitCode run_version(const GlobalOptions& global) {
  Result<std::string> format = output_format(global, "version", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  if (*format == "json") {
    print_result("{\"version\": " + json_quote(RUN_VERSION) + "}\n");
    return ExitCode::kSuccess;
  }
  print_result(std::string("run ") + RUN_VERSION + "\n");
  return ExitCode::kSuccess;
}

}  // namespace

void add_version_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand("version", "Print the version of run");
  command->callback([&global, &action] { action = [&global] { return run_version(global); }; });
}

}  // namespace run::cli
