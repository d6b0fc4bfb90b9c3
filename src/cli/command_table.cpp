#include "cli/command_table.h"

#include <algorithm>
#include <set>

#include "core/did_you_mean.h"

namespace run::cli {

void build_command_line(CLI::App& app, GlobalOptions& global, CommandAction& action) {
  app.description(
      "run deploys Docker services from configuration kept in git: run-config.yaml plus one\n"
      "overlay per environment (environments/<env>.yaml).");
  app.footer(
      "Exit codes: 0 success, 1 error (invalid config, bad usage, a failed or refused apply),\n"
      "2 plan with changes (--detailed-exitcode), 130 interrupted. Run 'run COMMAND --help' for\n"
      "a command's flags.");
  app.require_subcommand(1);
  app.fallthrough();
  app.option_defaults()->always_capture_default(false);
  app.add_option("-C", global.directory, "Run as if started in DIR")->type_name("DIR");
  app.add_option("-f,--file", global.config_file,
                 "The configuration file (default: $RUN_CONFIG, else run-config.yaml in this\n"
                 "directory or a parent, up to the git root)")
      ->type_name("FILE");
  app.add_option("--env", global.environment,
                 "The environment (default: $RUN_ENV, else default_environment)")
      ->type_name("NAME");
  app.add_option("-o,--output", global.output,
                 "Output format: text, json, yaml or markdown (per command)")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"text", "json", "yaml", "markdown"}));
  app.add_flag("--no-color", global.no_color, "No colour (also when NO_COLOR is set)");
  app.add_flag("-v,--verbose", global.verbose, "Log more (debug)");
  app.add_flag("-q,--quiet", global.quiet, "Log only errors");
  app.add_option("--log-format", global.log_format, "Log lines as text or json (on stderr)")
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  for (CommandRegistrar add : kCommands) add(app, global, action);
}

std::optional<std::string> unknown_command(CLI::App& app, int argc, const char* const* argv) {
  static const std::set<std::string> kTakesValue = {"-C", "-f",       "--file",      "--env",
                                                    "-o", "--output", "--log-format"};
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (kTakesValue.count(word)) {
      ++i;
      continue;
    }
    if (word.starts_with("-")) continue;
    std::vector<std::string> names;
    std::vector<std::string> shown;  // an internal command is never suggested
    for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
      names.push_back(command->get_name());
      if (!command->get_group().empty()) shown.push_back(command->get_name());
    }
    if (std::find(names.begin(), names.end(), word) != names.end()) return std::nullopt;
    std::string hint = did_you_mean(word, shown);
    return "error: unknown command '" + word +
           "'\n  hint: " + (hint.empty() ? "run 'run --help' for the commands" : hint);
  }
  return std::nullopt;
}

}  // namespace run::cli
