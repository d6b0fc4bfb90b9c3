#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "history/record.h"
#include "reconcile/tick_report.h"

namespace run::reconcile {

/// What the status page and /readyz show: the loop's settings, its last tick and the
/// environment's recent history. A value, copied out of the StatusBoard.
struct LoopStatus {
  std::string project;
  std::string environment;
  std::string source;  ///< "origin/main" (remote/branch), or "working tree"
  double interval_seconds = 60;
  std::string started_at;  ///< ISO 8601 UTC, when the loop started
  std::string version;     ///< run's version
  std::optional<TickReport> last_tick;
  std::optional<TickReport> last_success;  ///< the last tick whose result was kSuccess
  double last_success_unix = 0;            ///< its end, seconds since the epoch; 0: none yet
  std::string applied_commit;              ///< the commit the environment last converged on
  int consecutive_failures = 0;
  std::vector<history::RecordSummary> recent_history;  ///< newest first, at most 10
};

/// The loop writes, HTTP handlers read: a LoopStatus behind a mutex.
class StatusBoard {
 public:
  explicit StatusBoard(LoopStatus initial) : status_(std::move(initial)) {}
  LoopStatus snapshot() const {
    std::lock_guard lock(mutex_);
    return status_;
  }
  template <typename Update>
  void update(Update&& change) {
    std::lock_guard lock(mutex_);
    change(status_);
  }

 private:
  mutable std::mutex mutex_;
  LoopStatus status_;
};

/// Whether /readyz says ready: a tick succeeded within `3 x interval` (at least 30 s) of
/// `now_unix`. `reason` says why not, or what the last success was, in one line.
struct Readiness {
  bool ready = false;
  std::string reason;
};
Readiness readiness(const LoopStatus& status, double now_unix);

}  // namespace run::reconcile
