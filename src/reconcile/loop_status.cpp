#include "reconcile/loop_status.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace run::reconcile {

namespace {

/// A loop misses a tick or two when Docker or the remote is slow; three missed intervals
/// mean it is stuck. Short intervals get 30 s, so a busy machine does not flap the probe.
constexpr double kMissedIntervals = 3;
constexpr double kMinimumWindowSeconds = 30;

std::string whole_seconds(double seconds) { return fmt::format("{} s", std::llround(seconds)); }

/// "; 2 consecutive failures, last error: ..." when the loop is failing, else nothing.
std::string failure_note(const LoopStatus& status) {
  std::string note;
  if (status.consecutive_failures > 0) {
    note = fmt::format("; {} consecutive failure{}", status.consecutive_failures,
                       status.consecutive_failures == 1 ? "" : "s");
  }
  if (status.last_tick && !status.last_tick->error.empty()) {
    note += note.empty() ? "; " : ", ";
    note += "last error: " + status.last_tick->error;
  }
  return note;
}

/// "more than 3 intervals (180 s)", or "more than 30 s" when the floor applies.
std::string window_text(double interval_seconds) {
  double intervals_window = kMissedIntervals * interval_seconds;
  if (intervals_window < kMinimumWindowSeconds) {
    return "more than " + whole_seconds(kMinimumWindowSeconds);
  }
  return fmt::format("more than {} intervals ({})", kMissedIntervals,
                     whole_seconds(intervals_window));
}

}  // namespace

Readiness readiness(const LoopStatus& status, double now_unix) {
  if (status.last_success_unix <= 0) {
    return {false, "no tick has succeeded yet" + failure_note(status)};
  }
  double window = std::max(kMissedIntervals * status.interval_seconds, kMinimumWindowSeconds);
  // A clock stepped back must not make the age negative ("-3 s ago").
  double age = std::max(0.0, now_unix - status.last_success_unix);
  std::string last = "last successful tick " + whole_seconds(age) + " ago";
  if (age <= window) return {true, last + failure_note(status)};
  return {false, last + ", " + window_text(status.interval_seconds) + failure_note(status)};
}

}  // namespace run::reconcile
