#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"

namespace run::process {

/// How a child ended.
enum class ChildEnd {
  kExited,     ///< of itself, with `exit_code`
  kSignalled,  ///< of a signal it did not send itself: `signal`
  kTimedOut,   ///< killed at the deadline
  kStopped,    ///< killed because the caller was asked to stop
};

struct ChildOutcome {
  ChildEnd end = ChildEnd::kExited;
  int exit_code = 0;   ///< with kExited
  int signal = 0;      ///< with kSignalled
  std::string output;  ///< what it wrote on stdout (the first kMaxChildOutput bytes)
};

/// The deadline, and the flag that cuts the wait short.
struct ChildLimits {
  std::chrono::milliseconds timeout{60000};
  const std::atomic<bool>* stop = nullptr;  ///< none: only the deadline ends the wait
};

inline constexpr std::size_t kMaxChildOutput = 64 * 1024;

/// Runs `argv` (argv[0] a path: PATH is not searched) and waits for it, within `limits`.
/// The child starts with stdin on /dev/null, stdout on a pipe read here, stderr shared with
/// this process, no other descriptor of ours, an empty signal mask and default signal
/// dispositions (run blocks SIGTERM in every thread for its signal watcher), in a process
/// group of its own. At the deadline, or once `*limits.stop` is true (looked at every
/// 50 ms), the whole group gets SIGKILL. The child is always reaped before this returns: no
/// process outlives the call. posix_spawn (vfork and exec), never a bare fork: this process
/// has threads (an HTTP server's), and a forked copy of one could deadlock on a lock another
/// thread held. Errors: the child could not be started.
Result<ChildOutcome> run_child(const std::vector<std::string>& argv, const ChildLimits& limits);

}  // namespace run::process
