#include "reconcile/backoff.h"

#include <algorithm>

namespace run::reconcile {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int failures, double jitter) {
  if (failures <= 0) return std::chrono::milliseconds(0);
  // Doubling stops at the cap; counting doublings keeps 2^n from overflowing after many failures.
  std::int64_t delay = std::max<std::int64_t>(policy.initial.count(), 1);
  for (int i = 1; i < failures && delay < policy.cap.count(); ++i) delay *= 2;
  delay = std::min<std::int64_t>(delay, policy.cap.count());
  double fraction = std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(
      delay / 2 + static_cast<std::int64_t>(static_cast<double>(delay - delay / 2) * fraction));
}

}  // namespace run::reconcile
