#include "cli/raw_terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

namespace run::cli {

bool is_terminal(int fd) { return isatty(fd) == 1; }

std::optional<docker::TerminalSize> terminal_size(int fd) {
  winsize size{};
  if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0)
    return std::nullopt;
  return docker::TerminalSize{size.ws_row, size.ws_col};
}

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  if (tcgetattr(fd_, &saved_) != 0) return;  // no terminal: nothing to set or restore
  termios raw = saved_;
  cfmakeraw(&raw);
  if (tcsetattr(fd_, TCSANOW, &raw) == 0) raw_ = true;
}

void RawTerminal::restore() {
  // exchange: the destructor and an abort's cleanup may both come here; one restores.
  if (raw_.exchange(false)) tcsetattr(fd_, TCSANOW, &saved_);
}

}  // namespace run::cli
