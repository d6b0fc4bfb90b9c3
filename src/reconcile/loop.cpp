#include "reconcile/loop.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "core/seconds_text.h"

namespace run::reconcile {

NextTick next_tick(const LoopSettings& settings, TickResult last, int consecutive_failures,
                   double jitter) {
  if (last != TickResult::kFailure) return {settings.interval, true};
  return {backoff_delay(settings.backoff, consecutive_failures, jitter), false};
}

namespace {

double seconds_of(std::chrono::milliseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

/// Lets the events settle (`docker rm -f` sends die, then destroy: a tick between the two
/// sees a container on its way out), and waits out the rest of the event gap.
bool wait_for_gap(const LoopSettings& settings, Wakeup& wakeup,
                  std::chrono::steady_clock::time_point last_start) {
  auto since = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - last_start);
  std::chrono::milliseconds rest =
      since >= settings.event_gap ? std::chrono::milliseconds(0) : settings.event_gap - since;
  return wakeup.wait(std::max(rest, settings.event_settle), false) != WakeReason::kStop;
}

}  // namespace

int run_loop(const LoopSettings& settings, Wakeup& wakeup, const TickFunction& tick,
             const std::function<double()>& jitter) {
  int ticks = 0;
  int consecutive_failures = 0;
  std::string trigger = "start";
  while (!wakeup.stopping()) {
    auto started = std::chrono::steady_clock::now();
    TickReport report = tick(trigger);
    ++ticks;
    if (report.result == TickResult::kFailure) ++consecutive_failures;
    if (report.result == TickResult::kSuccess) consecutive_failures = 0;
    NextTick next = next_tick(settings, report.result, consecutive_failures, jitter());
    if (report.result == TickResult::kFailure && !wakeup.stopping())
      spdlog::info("retrying in {} (failure {} in a row)", seconds_text(seconds_of(next.wait)),
                   consecutive_failures);
    std::string event;
    WakeReason reason = wakeup.wait(next.wait, next.events_wake, &event);
    if (reason == WakeReason::kStop) break;
    trigger = reason == WakeReason::kEvent ? event : "interval";
    if (reason == WakeReason::kEvent) {
      spdlog::info("woken by docker event: {}", event);
      if (!wait_for_gap(settings, wakeup, started)) break;
    }
  }
  return ticks;
}

}  // namespace run::reconcile
