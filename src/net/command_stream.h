#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "net/connection.h"

namespace run::net {

/// A command that carries a connection on its standard input and output (`ssh HOST docker
/// system dial-stdio`, as the docker CLI runs for ssh:// engines): the command runs with both
/// on one end of a socketpair, and the caller reads and writes the other end like any socket.
/// Its stderr goes to a pipe, kept for the error message: when the stream ends before an
/// answer, what the command printed ("Permission denied", "Could not resolve hostname") is the
/// only account of why.
///
/// The process lives as long as this object: the destructor ends and reaps it, so no command
/// outlives the connection and none is left a zombie.
class CommandStream {
 public:
  /// Starts `argv` (argv[0] looked up in PATH) in a session of its own, so that the terminal's
  /// Ctrl-C reaches run (which stops in order) and not the command (which would cut the
  /// connection under it), and so that it has no terminal to prompt on (a prompt nobody
  /// answers would hang: an ssh key must work without one, as for the docker CLI). Sets
  /// `socket` to the caller's end (non-blocking, close-on-exec; the caller closes it), or
  /// returns nullptr with `error` set.
  static std::unique_ptr<CommandStream> start(const std::vector<std::string>& argv, int& socket,
                                              NetError& error);
  /// Sends SIGTERM, then SIGKILL if it has not ended within a second, and reaps it. The caller
  /// closes its socket first, so a command that ends at the end of its input is already on
  /// its way out.
  ~CommandStream();
  CommandStream(const CommandStream&) = delete;
  CommandStream& operator=(const CommandStream&) = delete;

  /// What the command has written to stderr, waiting until `deadline` for it to close stderr
  /// (it usually prints just before it exits): at most the last kErrorOutputLimit bytes,
  /// without the last line end. Empty when it printed nothing.
  std::string error_output(Clock::time_point deadline);
  /// The command's name, for messages: "ssh".
  const std::string& name() const { return name_; }

  static constexpr std::size_t kErrorOutputLimit = 4096;

 private:
  CommandStream(pid_t pid, int error_pipe, std::string name);
  void drain_error_pipe(Clock::time_point deadline);

  pid_t pid_;
  int error_pipe_;  // our end, -1 once the command closed it
  std::string name_;
  std::string error_output_;
};

}  // namespace run::net
