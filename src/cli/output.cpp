#include "cli/output.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/result.h"
#include "render/diagnostics_render.h"

namespace run::cli {

bool color_enabled(const GlobalOptions& global, int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (global.no_color || (no_color && *no_color)) return false;
  return ::isatty(fd) == 1;
}

Result<std::string> output_format(const GlobalOptions& global, const std::string& command,
                                  const std::vector<std::string>& allowed) {
  if (global.output.empty()) return allowed.front();
  for (const std::string& format : allowed)
    if (format == global.output) return format;
  std::string list;
  for (const std::string& format : allowed) list += (list.empty() ? "" : ", ") + format;
  return make_error(SourceLocation{}, "", "'run " + command + "' cannot write -o " + global.output,
                    "use one of: " + list);
}

namespace {
std::string colorize(std::string text) {
  const std::string red = "\033[1;31m", cyan = "\033[36m", reset = "\033[0m";
  for (const char* word : {"error:", "warning:"}) {
    std::size_t at = 0;
    while ((at = text.find(word, at)) != std::string::npos) {
      text.replace(at, std::strlen(word), red + word + reset);
      at += red.size() + std::strlen(word) + reset.size();
    }
  }
  std::size_t at = 0;
  while ((at = text.find("  hint:", at)) != std::string::npos) {
    text.replace(at, 7, "  " + cyan + "hint:" + reset);
    at += cyan.size() + reset.size() + 7;
  }
  return text;
}
}  // namespace

void print_diagnostics(const Diagnostics& diagnostics, const GlobalOptions& global) {
  std::string text = render::diagnostics_text(diagnostics);
  if (color_enabled(global, STDERR_FILENO)) text = colorize(std::move(text));
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

ExitCode fail(const Diagnostics& diagnostics, const GlobalOptions& global) {
  print_diagnostics(diagnostics, global);
  return ExitCode::kError;
}

void print_result(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace run::cli
