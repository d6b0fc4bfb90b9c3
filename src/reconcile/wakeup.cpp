#include "reconcile/wakeup.h"

namespace run::reconcile {

void Wakeup::event(const std::string& what) {
  {
    std::lock_guard lock(mutex_);
    if (pending_event_.empty()) pending_event_ = what.empty() ? "event" : what;
  }
  changed_.notify_all();
}

void Wakeup::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
}

bool Wakeup::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

WakeReason Wakeup::wait(std::chrono::milliseconds timeout, bool events_wake, std::string* what) {
  std::unique_lock lock(mutex_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  changed_.wait_until(lock, deadline,
                      [&] { return stopping_ || (events_wake && !pending_event_.empty()); });
  if (stopping_) return WakeReason::kStop;
  bool woken = events_wake && !pending_event_.empty();
  if (what) *what = pending_event_;
  pending_event_.clear();
  return woken ? WakeReason::kEvent : WakeReason::kTimer;
}

}  // namespace run::reconcile
