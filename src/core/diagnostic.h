#pragma once

#include <string>
#include <vector>

namespace run {

/// Where a value came from: a file and a 1-based line and column (0 when unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return !file.empty(); }
  /// "file:line:col", or "file" when the position is unknown.
  std::string to_string() const;
  /// "file:line", the short form used in annotations.
  std::string file_line() const;
};

enum class Severity { kError, kWarning };

/// One problem found in a phase: where, which JSON path, what, and what to do about it.
/// Messages start lower-case and never contain a secret's value.
struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation location;
  std::string path;     ///< dotted JSON path, e.g. "services.app.replicas"; empty for the file
  std::string message;  ///< what is wrong
  std::string hint;     ///< what to do, e.g. "did you mean 'replicas'?"; may be empty
};

using Diagnostics = std::vector<Diagnostic>;

Diagnostic make_error(SourceLocation location, std::string path, std::string message,
                      std::string hint = {});

/// An error that belongs to no file: bad usage, a refused operation ("cannot promote dev to
/// itself"), with what to do instead.
Diagnostic usage_error(std::string message, std::string hint = {});

bool has_errors(const Diagnostics& diagnostics);

/// `FILE:LINE:COL: error: MESSAGE (at PATH)` and, when there is one, a `  hint: ...` line.
std::string format_diagnostic(const Diagnostic& diagnostic);

/// The same on one line, without the severity, for log lines and status fields:
/// `FILE:LINE:COL: MESSAGE (at PATH); hint: HINT`, `FILE: ...` when the position is unknown.
std::string diagnostic_line(const Diagnostic& diagnostic);

/// Sorted by file, line, column and message, without exact duplicates: validating several
/// environments reports an error of the shared base file once.
Diagnostics sorted_unique(Diagnostics diagnostics);

}  // namespace run
