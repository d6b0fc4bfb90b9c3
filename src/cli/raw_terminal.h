#pragma once

#include <termios.h>

#include <atomic>
#include <optional>

#include "docker/exec_session.h"

namespace run::cli {

/// Whether `fd` is a terminal.
bool is_terminal(int fd);

/// The size of the terminal on `fd` (TIOCGWINSZ), or nullopt when it is none or says 0x0.
std::optional<docker::TerminalSize> terminal_size(int fd);

/// The terminal on a file descriptor in raw mode while this lives, as docker exec -it sets
/// it: no echo, no line editing, no signals from keys (Ctrl-C and Ctrl-\ are bytes for the
/// command in the container), no output processing (the container's TTY does its own).
/// Restored by the destructor, or earlier by restore(), which is safe from another thread
/// (the interrupt watcher's abort cleanup) and harmless when repeated. A descriptor that is
/// no terminal is left alone.
class RawTerminal {
 public:
  explicit RawTerminal(int fd);
  ~RawTerminal() { restore(); }
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  void restore();

 private:
  int fd_;
  termios saved_{};
  std::atomic<bool> raw_{false};
};

}  // namespace run::cli
