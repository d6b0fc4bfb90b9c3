#include "cli/stdio_console.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "cli/raw_terminal.h"

namespace run::cli {

namespace {

constexpr std::size_t kInputChunk = 4096;

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace

std::optional<std::string> StdioConsole::read_input(std::chrono::milliseconds wait) {
  pollfd input{STDIN_FILENO, POLLIN, 0};
  int ready = poll(&input, 1, static_cast<int>(wait.count()));
  if (ready == 0 || (ready < 0 && errno == EINTR)) return std::string();
  if (ready < 0) return std::nullopt;
  char buffer[kInputChunk];
  ssize_t count = ::read(STDIN_FILENO, buffer, sizeof buffer);
  if (count < 0 && (errno == EINTR || errno == EAGAIN)) return std::string();
  // The end of a pipe or file, or a terminal gone (EIO): the command's stdin closes.
  if (count <= 0) return std::nullopt;
  return std::string(buffer, static_cast<std::size_t>(count));
}

void StdioConsole::write_output(docker::LogStream stream, std::string_view bytes) {
  pass_to_stdio(stream, bytes);
}

std::optional<docker::TerminalSize> StdioConsole::take_resize() {
  if (!resized_.exchange(false)) return std::nullopt;
  return console_size();
}

void pass_to_stdio(docker::LogStream stream, std::string_view bytes) {
  write_all(stream == docker::LogStream::kStderr ? STDERR_FILENO : STDOUT_FILENO, bytes);
}

std::optional<docker::TerminalSize> console_size() {
  if (std::optional<docker::TerminalSize> size = terminal_size(STDOUT_FILENO)) return size;
  return terminal_size(STDIN_FILENO);
}

}  // namespace run::cli
