#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "docker/attached_stream.h"
#include "docker/container_exec.h"
#include "docker/docker_api.h"

namespace run::docker {

/// A terminal's size in character cells.
struct TerminalSize {
  int rows = 0;
  int columns = 0;

  bool operator==(const TerminalSize&) const = default;
};

/// Whether an exec's stdin is attached (docker exec -i).
enum class ExecInput { kNone, kAttached };
/// Whether an exec gets a TTY (docker exec -t): its output is then one raw stream, with the
/// TTY's line ends and echo, rather than stdout and stderr apart.
enum class ExecTty { kNone, kAllocated };

/// What an interactive exec runs and how.
struct ExecSessionSpec {
  std::vector<std::string> command;
  ExecInput input = ExecInput::kAttached;
  ExecTty tty = ExecTty::kNone;
  std::optional<TerminalSize> size;  ///< the TTY's at the start (with kAllocated)
};

/// The body of POST /containers/{id}/exec for `spec`: stdout and stderr attached, stdin and a
/// TTY as asked, ConsoleSize [rows, columns] when the size is known (Engine API 1.42 and
/// later; older daemons ignore it, so the session also resizes once it started).
std::string exec_session_create_body(const ExecSessionSpec& spec);

/// An exec under way with its stdin and output attached, as `docker exec -i/-t` runs one.
/// Input may be sent from one thread while output is received on another.
class ExecSession {
 public:
  virtual ~ExecSession() = default;

  /// Sends `bytes` to the command's stdin.
  virtual Status send_input(std::string_view bytes) = 0;
  /// The command's stdin ends (what Ctrl-D at a shell prompt, or a pipe's end, means).
  virtual void close_input() = 0;
  /// Waits up to `wait` for output and passes what came to `on_output` byte for byte (with a
  /// TTY all of it as stdout): kOpen (perhaps with nothing), kEnded once the command ended.
  /// Errors: the stream broke or is malformed.
  virtual Result<StreamState> receive_output(const OutputSink& on_output,
                                             std::chrono::milliseconds wait) = 0;
  /// Gives the TTY a new size (the user's terminal was resized).
  virtual Status resize(TerminalSize size) = 0;
  /// The command's exit code, once its output ended.
  virtual Result<int> exit_code() = 0;
};

/// Creates an exec in a running container for `spec` and starts it attached, with the
/// connection taken over; with a size, resizes the TTY once it runs. Errors: Docker's (no
/// such container, not running), the start refused.
Result<std::unique_ptr<ExecSession>> start_exec_session(DockerApi& api,
                                                        const std::string& container_id,
                                                        const ExecSessionSpec& spec);

}  // namespace run::docker
