#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "process/child_process.h"

// Children run by /bin/sh: what they print and how they end, the deadline and the stop flag
// that kill them with their whole process group, and what they do not inherit.

namespace run::process {

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Result<ChildOutcome> shell(const std::string& script, ChildLimits limits = {}) {
  return run_child({"/bin/sh", "-c", script}, limits);
}

/// Whether `pid` is gone, or a zombie nobody reaped yet (the container's init may be slow).
bool gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return true;
  return text.substr(text.rfind(')') + 2, 1) == "Z";
}

/// Whether `pid` is gone within `limit`: a SIGKILL is delivered, and the process torn down,
/// a moment after kill() returns.
bool gone_within(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  while (!gone(pid)) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("child process: its stdout and exit code are kept") {
  Result<ChildOutcome> child = shell("echo hello; echo world; exit 3");
  REQUIRE(child);
  CHECK(child->end == ChildEnd::kExited);
  CHECK(child->exit_code == 3);
  CHECK(child->output == "hello\nworld\n");
}

TEST_CASE("child process: one that hangs is killed at the deadline, with what it started") {
  auto start = Clock::now();
  Result<ChildOutcome> child = shell("sleep 100 & echo $!; wait", ChildLimits{300ms, nullptr});
  REQUIRE(child);
  CHECK(child->end == ChildEnd::kTimedOut);
  CHECK(seconds_since(start) >= 0.3);
  CHECK(seconds_since(start) < 3.0);
  pid_t sleeper = std::stoi(child->output);
  CHECK(gone_within(sleeper, 2000ms));
}

TEST_CASE("child process: the stop flag kills it long before the deadline") {
  std::atomic<bool> stop{false};
  std::thread stopper([&stop] {
    std::this_thread::sleep_for(200ms);
    stop = true;
  });
  auto start = Clock::now();
  Result<ChildOutcome> child = shell("exec sleep 100", ChildLimits{60s, &stop});
  stopper.join();
  REQUIRE(child);
  CHECK(child->end == ChildEnd::kStopped);
  CHECK(seconds_since(start) < 2.0);
}

TEST_CASE("child process: it starts with no signal blocked, whatever its parent blocks") {
  sigset_t terminate, before;
  sigemptyset(&terminate);
  sigaddset(&terminate, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &terminate, &before);
  Result<ChildOutcome> child = shell("kill -TERM $$; sleep 5", ChildLimits{10s, nullptr});
  pthread_sigmask(SIG_SETMASK, &before, nullptr);
  REQUIRE(child);
  CHECK(child->end == ChildEnd::kSignalled);
  CHECK(child->signal == SIGTERM);
}

TEST_CASE("child process: it inherits no descriptor but stdin, stdout and stderr") {
  int leaked = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC, as a careless library's socket
  REQUIRE(leaked > 2);
  Result<ChildOutcome> child =
      shell("test -e /proc/$$/fd/" + std::to_string(leaked) + " && echo leaked || echo closed");
  ::close(leaked);
  REQUIRE(child);
  CHECK(child->output == "closed\n");
}

TEST_CASE("child process: a program that does not exist is an error that names it") {
  Result<ChildOutcome> child = run_child({"/nonexistent/run"}, ChildLimits{});
  REQUIRE_FALSE(child);
  CHECK(child.errors()[0].message == "cannot start /nonexistent/run: No such file or directory");
}

}  // namespace run::process
