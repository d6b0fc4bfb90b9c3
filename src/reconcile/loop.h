#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "reconcile/backoff.h"
#include "reconcile/tick_report.h"
#include "reconcile/wakeup.h"

namespace run::reconcile {

struct LoopSettings {
  std::chrono::milliseconds interval{60000};  ///< between ticks while all is well
  BackoffPolicy backoff;                      ///< between ticks while they fail
  /// The least time between the starts of two ticks when an event wakes the loop, so that a
  /// container that dies as soon as it starts is not restarted in a tight loop, and the
  /// events of one `docker rm a b c` make one tick.
  std::chrono::milliseconds event_gap{2000};
  /// How long an event waits for the events that follow it before the tick starts.
  std::chrono::milliseconds event_settle{500};
};

/// When the next tick runs, decided from how the last one went.
struct NextTick {
  std::chrono::milliseconds wait;
  bool events_wake = true;  ///< false while backing off: events do not cut a backoff short
};

/// After a success or a skip: the interval, and events wake. After failures: the backoff
/// delay for `consecutive_failures` (jittered by `jitter` in [0, 1)), and events do not wake.
NextTick next_tick(const LoopSettings& settings, TickResult last, int consecutive_failures,
                   double jitter);

/// What a tick is told about why it runs: "start", "interval", "die tsp-dev-app-1".
using TickFunction = std::function<TickReport(const std::string& trigger)>;

/// Runs ticks until `wakeup` is stopped: one at once, then each as next_tick says. A stop
/// lets the running tick finish (it sees the stop through its own flag) and returns.
/// The tick publishes its own report (metrics, status page, notifications, logs).
/// Returns the number of ticks run.
int run_loop(const LoopSettings& settings, Wakeup& wakeup, const TickFunction& tick,
             const std::function<double()>& jitter);

}  // namespace run::reconcile
