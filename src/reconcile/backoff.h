#pragma once

#include <chrono>

namespace run::reconcile {

/// How long a failing loop waits before it tries again.
struct BackoffPolicy {
  std::chrono::milliseconds initial{2000};  ///< after the first failure, before jitter
  std::chrono::milliseconds cap{300000};    ///< never longer than this
};

/// The wait after `failures` consecutive failures (1 for the first): initial x 2^(failures-1),
/// at most the cap, then jittered down into [d/2, d] by `jitter` in [0, 1) ("equal jitter":
/// loops that failed together do not retry together, and none retries sooner than half the
/// schedule). Zero or fewer failures: no wait.
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int failures, double jitter);

}  // namespace run::reconcile
