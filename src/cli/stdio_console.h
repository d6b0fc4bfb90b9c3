#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "app/interactive_exec.h"

namespace run::cli {

/// run exec -i/-t's console: run's own stdin, stdout and stderr, whatever they are (a
/// terminal, a pipe, a file). The terminal's size is read again after note_resize().
class StdioConsole final : public app::ExecConsole {
 public:
  std::optional<std::string> read_input(std::chrono::milliseconds wait) override;
  void write_output(docker::LogStream stream, std::string_view bytes) override;
  std::optional<docker::TerminalSize> take_resize() override;

  /// The terminal's size changed (SIGWINCH): safe from any thread.
  void note_resize() { resized_ = true; }

 private:
  std::atomic<bool> resized_{false};
};

/// Writes a command's output to run's stdout or stderr, byte for byte; a reader that went away
/// loses the rest, as with docker exec.
void pass_to_stdio(docker::LogStream stream, std::string_view bytes);

/// The size of the terminal run's output goes to (else its input's), as docker reads it.
std::optional<docker::TerminalSize> console_size();

}  // namespace run::cli
