#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <utility>

namespace run::cli {

/// SIGINT and SIGTERM during an apply: the first asks the executor to start nothing new
/// (running actions finish, the lock is released, exit 130); the second aborts at once,
/// after the cleanup registered with on_abort (releasing the lock, so an aborted run does
/// not leave its environment locked until someone runs force-unlock).
/// Signals are taken by a thread of their own (sigwait), so no handler runs inside a
/// library call. Create it before any other thread: threads inherit the signal mask.
/// SIGWINCH (the terminal was resized) is taken the same way, for on_window_change.
class InterruptWatch {
 public:
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  const std::atomic<bool>& stop_requested() const { return stop_requested_; }

  /// Calls `wake` (on the watcher thread) on the first signal, instead of printing the
  /// interruption: for a loop that sleeps on something other than stop_requested() and says
  /// so in its own log format. Set it before the first signal can matter.
  void on_stop(std::function<void()> wake) {
    std::lock_guard lock(abort_mutex_);
    on_stop_ = std::move(wake);
  }
  bool interrupted() const { return stop_requested_.load(); }

  /// What a second signal prints before exiting 130 (a line of its own). The default speaks
  /// of an environment a change may have left half-done; a command that changes nothing, or
  /// changes something else, says what it leaves instead.
  void on_abort_say(std::string note) {
    std::lock_guard lock(abort_mutex_);
    abort_note_ = "\n" + std::move(note) + "\n";
  }

  /// Calls `changed` (on the watcher thread) each time the terminal's size changes (SIGWINCH),
  /// for run exec -t. What it uses must outlive this watch, or be reset first.
  void on_window_change(std::function<void()> changed) {
    std::lock_guard lock(abort_mutex_);
    on_window_change_ = std::move(changed);
  }

  /// While the returned guard lives, a second signal runs `cleanup` (on the watcher thread)
  /// before exiting. The guard's destructor waits for a cleanup under way, so what the
  /// cleanup uses may be destroyed right after the guard.
  class AbortCleanup {
   public:
    explicit AbortCleanup(InterruptWatch& watch) : watch_(&watch) {}
    AbortCleanup(AbortCleanup&& other) noexcept : watch_(std::exchange(other.watch_, nullptr)) {}
    AbortCleanup(const AbortCleanup&) = delete;
    AbortCleanup& operator=(const AbortCleanup&) = delete;
    ~AbortCleanup() {
      if (watch_ == nullptr) return;  // moved from
      std::lock_guard lock(watch_->abort_mutex_);
      watch_->abort_cleanup_ = nullptr;
    }

   private:
    InterruptWatch* watch_;
  };
  [[nodiscard]] AbortCleanup on_abort(std::function<void()> cleanup) {
    std::lock_guard lock(abort_mutex_);
    abort_cleanup_ = std::move(cleanup);
    return AbortCleanup(*this);
  }

 private:
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> closing_{false};
  std::mutex abort_mutex_;
  std::function<void()> abort_cleanup_;
  std::string abort_note_ =
      "\naborted: the environment may be half-changed; run plan shows what is left\n";
  std::function<void()> on_stop_;
  std::function<void()> on_window_change_;
  void* thread_ = nullptr;  // std::thread*, kept out of the header
};

}  // namespace run::cli
