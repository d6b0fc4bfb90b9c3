#include "core/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace run {

std::string SourceLocation::to_string() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string SourceLocation::file_line() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line);
}

Diagnostic make_error(SourceLocation location, std::string path, std::string message,
                      std::string hint) {
  return Diagnostic{Severity::kError, std::move(location), std::move(path), std::move(message),
                    std::move(hint)};
}

Diagnostic usage_error(std::string message, std::string hint) {
  return make_error(SourceLocation{}, "", std::move(message), std::move(hint));
}

bool has_errors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string text;
  if (diagnostic.location.known()) text += diagnostic.location.to_string() + ": ";
  text += diagnostic.severity == Severity::kError ? "error: " : "warning: ";
  text += diagnostic.message;
  if (!diagnostic.path.empty()) text += " (at " + diagnostic.path + ")";
  if (!diagnostic.hint.empty()) text += "\n  hint: " + diagnostic.hint;
  return text;
}

std::string diagnostic_line(const Diagnostic& diagnostic) {
  std::string text;
  if (diagnostic.location.known()) text += diagnostic.location.to_string() + ": ";
  text += diagnostic.message;
  if (!diagnostic.path.empty()) text += " (at " + diagnostic.path + ")";
  if (!diagnostic.hint.empty()) text += "; hint: " + diagnostic.hint;
  return text;
}

namespace {
auto sort_key(const Diagnostic& d) {
  return std::tie(d.location.file, d.location.line, d.location.column, d.message, d.path, d.hint);
}
}  // namespace

Diagnostics sorted_unique(Diagnostics diagnostics) {
  std::stable_sort(
      diagnostics.begin(), diagnostics.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return sort_key(a) < sort_key(b); });
  auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return sort_key(a) == sort_key(b) && a.severity == b.severity;
  };
  diagnostics.erase(std::unique(diagnostics.begin(), diagnostics.end(), same), diagnostics.end());
  return diagnostics;
}

}  // namespace run
