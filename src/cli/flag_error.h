#pragma once

#include <CLI/CLI.hpp>

#include "core/diagnostic.h"
#include "core/result.h"

namespace run::cli {

/// A flag's value refused while the command line is parsed, as a diagnostic: main prints it
/// as every other error is printed (with its hint), and exits 1 before anything runs.
class FlagError : public CLI::ParseError {
 public:
  explicit FlagError(Diagnostics errors)
      : CLI::ParseError("FlagError", errors.front().message, CLI::ExitCodes::ValidationError),
        errors_(std::move(errors)) {}
  const Diagnostics& errors() const { return errors_; }

 private:
  Diagnostics errors_;
};

}  // namespace run::cli
