#pragma once

#include <atomic>

namespace run::cli {

/// SIGINT and SIGTERM during an apply: the first asks the executor to start nothing new
/// (running actions finish, the lock is released, exit 130); the second aborts at once.
/// Signals are taken by a thread of their own (sigwait), so no handler runs inside a
/// library call. Create it before any other thread: threads inherit the signal mask.
class InterruptWatch {
 public:
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  const std::atomic<bool>& stop_requested() const { return stop_requested_; }
  bool interrupted() const { return stop_requested_.load(); }

 private:
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> closing_{false};
  void* thread_ = nullptr;  // std::thread*, kept out of the header
};

}  // namespace run::cli
