#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <string>

#include "core/result.h"

namespace run::cli {

/// Whether a duration flag may be zero: `--lock-timeout 0s` means "do not wait", but a
/// reconcile `--interval 0s` would spin.
enum class ZeroDuration { kAllowed, kRefused };

/// The value of a duration flag ("30s", "5m", "1h"; "0" too when zero is allowed), or an error
/// naming the flag and what to write.
Result<std::chrono::milliseconds> duration_flag(const std::string& name, const std::string& text,
                                                ZeroDuration zero);

/// Adds `--name DURATION` to `command`, parsed into `value` as the command line is read: a
/// bad value is a FlagError, so nothing runs.
CLI::Option* add_duration_option(CLI::App& command, const std::string& name,
                                 std::chrono::milliseconds& value, ZeroDuration zero,
                                 const std::string& description);

}  // namespace run::cli
