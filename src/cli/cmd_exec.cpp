// run exec: a command in a running replica of a service, its output and exit code passed on;
// with -i its stdin from run's, with -t in a TTY of its own, as docker exec -it.
#include <unistd.h>

#include <optional>

#include "app/container_exec.h"
#include "app/interactive_exec.h"
#include "cli/command_table.h"
#include "cli/interrupts.h"
#include "cli/output.h"
#include "cli/raw_terminal.h"
#include "cli/stdio_console.h"
#include "cli/workspace.h"

namespace run::cli {

namespace {

struct ExecFlags {
  std::string service_name;
  int replica = 0;           ///< 0: not given
  bool interactive = false;  ///< -i
  bool tty = false;          ///< -t
  std::vector<std::string> command;
};

app::ExecRequest exec_request(const ExecFlags& flags) {
  app::ExecRequest request{flags.service_name, std::nullopt, flags.command};
  if (flags.replica > 0) request.replica = flags.replica;
  return request;
}

app::ExecAttachment exec_attachment(const ExecFlags& flags) {
  app::ExecAttachment attachment;
  attachment.input = flags.interactive ? docker::ExecInput::kAttached : docker::ExecInput::kNone;
  attachment.tty = flags.tty ? docker::ExecTty::kAllocated : docker::ExecTty::kNone;
  if (flags.tty) attachment.size = console_size();
  return attachment;
}

/// The command's exit code as run's: 0..255, as a shell sees it.
ExitCode exit_code_of(int code) { return static_cast<ExitCode>(code & 0xff); }

ExitCode finish(const Result<int>& code, const InterruptWatch& watch, const GlobalOptions& global) {
  if (watch.interrupted()) return ExitCode::kInterrupted;
  if (!code) return fail(code.errors(), global);
  return exit_code_of(*code);
}

ExitCode run_plain_exec(const GlobalOptions& global, const ExecFlags& flags) {
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  watch.on_stop([] {});  // Ctrl-C ends the stream: exit 130 says it
  watch.on_abort_say("aborted: the command may go on in the container");
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  Result<int> code = app::exec_in_service(*open->engine, open->loaded.desired, exec_request(flags),
                                          pass_to_stdio, watch.stop_requested());
  return finish(code, watch, global);
}

/// -i and -t. With both, the terminal is raw for the session's length: every key goes to the
/// command (Ctrl-C too, as with docker), so only SIGTERM (or a second one, aborting) stops
/// run early, and every way out restores the terminal before anything is printed.
ExitCode run_attached_exec(const GlobalOptions& global, const ExecFlags& flags) {
  if (flags.tty && !is_terminal(STDIN_FILENO))
    return fail({usage_error("the input device is not a TTY",
                             "leave out -t when stdin is a pipe or a file: run exec " +
                                 flags.service_name + " -i -- CMD")},
                global);
  StdioConsole console;  // before the watch, whose SIGWINCH callback uses it
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  watch.on_stop([] {});  // the pump sees the stop: exit 130 says it
  watch.on_abort_say("aborted: the command may go on in the container");
  watch.on_window_change([&console] { console.note_resize(); });
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  Result<int> code = [&] {
    std::optional<RawTerminal> raw;
    if (flags.interactive && flags.tty) raw.emplace(STDIN_FILENO);
    InterruptWatch::AbortCleanup restore = watch.on_abort([&raw] {
      if (raw) raw->restore();
    });
    return app::exec_interactive_in_service(*open->engine, open->loaded.desired,
                                            exec_request(flags), exec_attachment(flags), console,
                                            watch.stop_requested());
  }();
  return finish(code, watch, global);
}

ExitCode run_exec(const GlobalOptions& global, const ExecFlags& flags) {
  if (flags.interactive || flags.tty) return run_attached_exec(global, flags);
  return run_plain_exec(global, flags);
}

}  // namespace

void add_exec_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand("exec", "Run a command in a running replica of a service");
  auto flags = std::make_shared<ExecFlags>();
  command->add_option("service", flags->service_name, "The service")
      ->type_name("SERVICE")
      ->required();
  command
      ->add_option("--replica", flags->replica,
                   "The replica (default: 1, else the lowest-numbered running one)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  command->add_flag("-i,--interactive", flags->interactive,
                    "Pass run's stdin to the command (its end closes the command's stdin)");
  command->add_flag("-t,--tty", flags->tty,
                    "Give the command a TTY the size of this terminal (stdin must be one)");
  command->add_option("command", flags->command, "The command and its arguments, after --")
      ->type_name("CMD");
  command->footer(
      "Runs CMD in a running container of SERVICE, as 'docker exec'. Everything after -- is\n"
      "the command, untouched; run exits with its exit code.\n"
      "  run exec app -- sh -c 'echo $HOME; exit 3'   no stdin, no TTY: stdout and stderr\n"
      "                                               passed apart, byte for byte\n"
      "  run exec app -it -- sh                       a shell: this terminal, raw, is the\n"
      "                                               command's TTY (resizes follow)\n"
      "  echo hi | run exec app -i -- cat             run's stdin to the command's\n"
      "With -it every key goes to the command, Ctrl-C too; the terminal is restored when the\n"
      "command ends or run is stopped (SIGTERM). Without -t, Ctrl-C stops passing output and\n"
      "exits 130 (the command may go on in the container).\n"
      "Exit codes: the command's, or 1 for an unknown service, no running replica, a --replica\n"
      "that is not running, no command, -t when stdin is no terminal, or Docker's error.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_exec(global, *flags); };
  });
}

}  // namespace run::cli
