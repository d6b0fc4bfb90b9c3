#pragma once

#include <string>
#include <vector>

#include "cli/options.h"
#include "core/diagnostic.h"
#include "core/result.h"

namespace run::cli {

/// Whether to colour what goes to `fd`: a terminal, no --no-color, no NO_COLOR.
bool color_enabled(const GlobalOptions& global, int fd);

/// The -o format for a command that supports `allowed` (the first is the default); an
/// error naming the supported ones otherwise.
Result<std::string> output_format(const GlobalOptions& global, const std::string& command,
                                  const std::vector<std::string>& allowed);

/// Prints diagnostics to stderr, once, coloured on a terminal: the only place errors are printed.
void print_diagnostics(const Diagnostics& diagnostics, const GlobalOptions& global);

/// Prints the errors and returns ExitCode::kError: the end of every failing command.
ExitCode fail(const Diagnostics& diagnostics, const GlobalOptions& global);

/// Writes `text` to stdout as one write.
void print_result(const std::string& text);

}  // namespace run::cli
