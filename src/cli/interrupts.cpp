#include "cli/interrupts.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

namespace run::cli {

namespace {

sigset_t interrupt_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);   // only to wake the watcher when the apply is over
  sigaddset(&signals, SIGWINCH);  // the terminal's size, for run exec -t; ignored otherwise
  return signals;
}

}  // namespace

InterruptWatch::InterruptWatch() {
  sigset_t signals = interrupt_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  thread_ = new std::thread([this, signals] {
    int count = 0;
    while (true) {
      int received = 0;
      if (sigwait(&signals, &received) != 0 || closing_) return;
      if (received == SIGUSR1) continue;
      if (received == SIGWINCH) {
        std::lock_guard lock(abort_mutex_);
        if (on_window_change_) on_window_change_();
        continue;
      }
      if (++count == 1) {
        stop_requested_ = true;
        std::lock_guard lock(abort_mutex_);
        if (on_stop_) {
          on_stop_();
          continue;
        }
        const char text[] =
            "\ninterrupted: letting running actions finish, starting nothing new (Ctrl-C again "
            "aborts)\n";
        (void)!::write(STDERR_FILENO, text, sizeof text - 1);
        continue;
      }
      {
        std::lock_guard lock(abort_mutex_);
        (void)!::write(STDERR_FILENO, abort_note_.data(), abort_note_.size());
        if (abort_cleanup_) abort_cleanup_();
      }
      std::_Exit(130);
    }
  });
}

InterruptWatch::~InterruptWatch() {
  auto* thread = static_cast<std::thread*>(thread_);
  closing_ = true;
  pthread_kill(thread->native_handle(), SIGUSR1);
  thread->join();
  delete thread;
  sigset_t signals = interrupt_signals();
  pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
}

}  // namespace run::cli
