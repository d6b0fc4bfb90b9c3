#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "app/container_exec.h"
#include "app/engine.h"
#include "core/result.h"
#include "docker/exec_session.h"
#include "model/desired_state.h"

namespace run::app {

/// The user's side of an interactive exec: the terminal or pipe run was started with (the
/// cli's), or a script (the tests'). read_input is called from a thread of its own, the rest
/// from the calling thread.
class ExecConsole {
 public:
  virtual ~ExecConsole() = default;
  /// Waits up to `wait` for input: what came (perhaps nothing yet), or nullopt once the input
  /// ended (a pipe's end).
  virtual std::optional<std::string> read_input(std::chrono::milliseconds wait) = 0;
  /// The command's output, byte for byte.
  virtual void write_output(docker::LogStream stream, std::string_view bytes) = 0;
  /// The terminal's size when it changed since the last call, else nullopt.
  virtual std::optional<docker::TerminalSize> take_resize() = 0;
};

/// How `run exec -i/-t` attaches the command.
struct ExecAttachment {
  docker::ExecInput input = docker::ExecInput::kAttached;  ///< -i
  docker::ExecTty tty = docker::ExecTty::kNone;            ///< -t
  std::optional<docker::TerminalSize> size;                ///< the terminal's, with -t
};

/// Drives a started session to its end: the console's input to the command's stdin (on a
/// thread of its own, its end closing stdin) when stdin is attached, the command's output to
/// the console, each resize to the TTY, until the output ends; then the command's exit code.
/// When `stop` is set (a SIGTERM, or Ctrl-C without a raw terminal) it stops at once and
/// returns 130, leaving the command to Docker. Errors: the stream broke.
Result<int> pump_exec_session(docker::ExecSession& session, ExecConsole& console,
                              docker::ExecInput input, const std::atomic<bool>& stop);

/// One snapshot, then the command in the chosen replica (as choose_exec_target chooses it)
/// with `attachment`, driven by pump_exec_session. Errors: those of choose_exec_target, the
/// engine's, the pump's.
Result<int> exec_interactive_in_service(Engine& engine, const model::DesiredState& desired,
                                        const ExecRequest& request,
                                        const ExecAttachment& attachment, ExecConsole& console,
                                        const std::atomic<bool>& stop);

}  // namespace run::app
