// run exec: a command in a running replica of a service, its output and exit code passed on.
#include <unistd.h>

#include <cerrno>

#include "app/container_exec.h"
#include "cli/command_table.h"
#include "cli/interrupts.h"
#include "cli/output.h"
#include "cli/workspace.h"

namespace run::cli {

namespace {

struct ExecFlags {
  std::string service_name;
  int replica = 0;  ///< 0: not given
  std::vector<std::string> command;
};

/// Writes all of `bytes` to `fd`; a reader that went away loses the rest, as with docker exec.
void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

void pass_output(docker::LogStream stream, std::string_view bytes) {
  write_all(stream == docker::LogStream::kStderr ? STDERR_FILENO : STDOUT_FILENO, bytes);
}

app::ExecRequest exec_request(const ExecFlags& flags) {
  app::ExecRequest request{flags.service_name, std::nullopt, flags.command};
  if (flags.replica > 0) request.replica = flags.replica;
  return request;
}

/// The command's exit code as run's: 0..255, as a shell sees it.
ExitCode exit_code_of(int code) { return static_cast<ExitCode>(code & 0xff); }

ExitCode run_exec(const GlobalOptions& global, const ExecFlags& flags) {
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  watch.on_stop([] {});  // Ctrl-C ends the stream: exit 130 says it
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  Result<int> code = app::exec_in_service(*open->engine, open->loaded.desired, exec_request(flags),
                                          pass_output, watch.stop_requested());
  if (watch.interrupted()) return ExitCode::kInterrupted;
  if (!code) return fail(code.errors(), global);
  return exit_code_of(*code);
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
  command->add_option("command", flags->command, "The command and its arguments, after --")
      ->type_name("CMD");
  command->footer(
      "Runs CMD in a running container of SERVICE, as 'docker exec' without -i/-t: no stdin,\n"
      "no TTY. Its stdout and stderr are passed through byte for byte; run exits with its exit\n"
      "code. Everything after -- is the command, untouched:\n"
      "  run exec app -- sh -c 'echo $HOME; exit 3'\n"
      "Ctrl-C stops passing output and exits 130 (the command may go on in the container).\n"
      "Exit codes: the command's, or 1 for an unknown service, no running replica, a --replica\n"
      "that is not running, no command, or Docker's error (no such executable).");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_exec(global, *flags); };
  });
}

}  // namespace run::cli
