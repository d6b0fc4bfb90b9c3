// run: parse the command line, run the chosen command, map the outcome to an exit code.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>

#include "cli/command_table.h"
#include "cli/flag_error.h"
#include "cli/logging.h"
#include "cli/output.h"

int main(int argc, char** argv) {
  // A closed pipe or socket is an error to report, not a signal that kills run halfway through
  // an apply, before its deployment record is written (stdout piped to a reader that quit, a
  // TLS peer that hung up: OpenSSL writes with write(2), which raises SIGPIPE).
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"", "run"};
  run::cli::GlobalOptions global;
  run::cli::CommandAction action;
  run::cli::build_command_line(app, global, action);
  if (auto message = run::cli::unknown_command(app, argc, argv)) {
    std::fprintf(stderr, "%s\n", message->c_str());
    return run::to_int(run::ExitCode::kError);
  }
  try {
    app.parse(argc, argv);
  } catch (const run::cli::FlagError& error) {  // a flag's value, said as any error is
    return run::to_int(run::cli::fail(error.errors(), global));
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help
    std::fprintf(stderr, "error: %s\n  hint: run 'run --help' for usage\n", error.what());
    return run::to_int(run::ExitCode::kError);
  }
  run::cli::setup_logging(global);
  return run::to_int(action());
}
