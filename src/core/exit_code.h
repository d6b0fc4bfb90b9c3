#pragma once

namespace run {

/// The process exit codes of docs/output-contract.md.
enum class ExitCode : int {
  kSuccess = 0,       ///< done; for `plan`, no changes
  kError = 1,         ///< invalid config, Docker unreachable, failed apply, bad usage
  kChanges = 2,       ///< `plan --detailed-exitcode` found changes
  kInterrupted = 130  ///< stopped by SIGINT or SIGTERM
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace run
