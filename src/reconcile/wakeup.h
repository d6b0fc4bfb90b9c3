#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace run::reconcile {

/// Why the loop woke before its timer: a Docker event, a stop request.
enum class WakeReason { kTimer, kEvent, kStop };

/// A timer the loop sleeps on that other threads can cut short: the event watch (a container
/// died) and the signal watcher (stop). Thread-safe.
class Wakeup {
 public:
  /// A container event: wakes a sleeper; remembered when none sleeps (it happened during a tick).
  void event(const std::string& what);
  /// Stop: wakes a sleeper, and every later wait returns kStop at once.
  void stop();
  bool stopping() const;

  /// Sleeps up to `timeout`. Returns kStop once stop() was called, kEvent when an event
  /// arrived (before or during the wait) and `events_wake` is true, else kTimer. Events that
  /// arrived are consumed either way; `what` gets the first one's description.
  WakeReason wait(std::chrono::milliseconds timeout, bool events_wake, std::string* what = nullptr);

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::string pending_event_;  ///< empty: none
};

}  // namespace run::reconcile
