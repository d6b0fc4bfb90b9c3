#include "cli/confirm.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>

namespace run::cli {

namespace {

/// One line from standard input, or nullopt at end of input or once `stop` is set. Signals
/// go to the interrupt watcher, not to this thread, so a blocking read would never return on
/// Ctrl-C: it polls instead, a tenth of a second at a time.
std::optional<std::string> read_answer(const std::atomic<bool>& stop) {
  std::string line;
  while (!stop.load()) {
    pollfd input{STDIN_FILENO, POLLIN, 0};
    int ready = ::poll(&input, 1, 100);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return std::nullopt;
    if (ready == 0) continue;
    char text[256];
    ssize_t got = ::read(STDIN_FILENO, text, sizeof text);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return std::nullopt;
    line.append(text, static_cast<std::size_t>(got));
    if (std::size_t end = line.find('\n'); end != std::string::npos) {
      line.resize(end);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<bool> confirm_changes(const std::string& verb, const std::string& environment,
                             bool protected_environment, const std::atomic<bool>& stop) {
  if (::isatty(STDIN_FILENO) != 1) {
    return make_error(SourceLocation{}, "",
                      "'run " + verb + "' needs a confirmation and there is no terminal to ask on",
                      "review the plan, then pass --auto-approve (or save it with 'run plan --out "
                      "FILE' and apply FILE)");
  }
  std::string expected = protected_environment ? environment : "yes";
  std::string question = protected_environment
                             ? environment + " is protected. Type its name to " + verb + ": "
                             : "Do you want to " + verb + " these changes to " + environment +
                                   "? Only 'yes' is accepted: ";
  std::fprintf(stderr, "\n%s", question.c_str());
  std::fflush(stderr);
  std::optional<std::string> answer = read_answer(stop);
  return answer && *answer == expected;
}

}  // namespace run::cli
