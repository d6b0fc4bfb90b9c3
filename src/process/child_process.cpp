#include "process/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace run::process {

namespace {

/// How often the stop flag is looked at while the child runs: SIGTERM to the loop must end
/// it within seconds, and 20 wake-ups a second cost nothing next to a fetch.
constexpr std::chrono::milliseconds kStopPoll{50};
/// Between looks at a child that closed its stdout but has not exited yet.
constexpr std::chrono::milliseconds kReapPoll{5};

using Clock = std::chrono::steady_clock;

int spawn(const std::vector<std::string>& argv, int output_fd, pid_t& pid) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO);
  // Sockets of the HTTP server or the event stream that lack CLOEXEC must not live on in a
  // child that may hang until it is killed.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int failure = posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  return failure;
}

/// The child's stdout, read as it comes, until it is closed.
class OutputPipe {
 public:
  explicit OutputPipe(int fd) : fd_(fd) {}
  ~OutputPipe() { close_pipe(); }
  OutputPipe(const OutputPipe&) = delete;
  OutputPipe& operator=(const OutputPipe&) = delete;

  bool open() const { return fd_ >= 0; }
  /// Waits up to `wait` for bytes, and keeps them (up to kMaxChildOutput).
  void read_for(std::chrono::milliseconds wait) {
    pollfd readable{fd_, POLLIN, 0};
    if (::poll(&readable, 1, static_cast<int>(wait.count())) <= 0) return;
    char buffer[4096];
    ssize_t got = ::read(fd_, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) return;
    if (got <= 0) return close_pipe();
    std::size_t room = kMaxChildOutput - std::min(kMaxChildOutput, text_.size());
    text_.append(buffer, std::min(room, static_cast<std::size_t>(got)));
  }
  std::string take() { return std::move(text_); }

 private:
  void close_pipe() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_;
  std::string text_;
};

ChildOutcome ended_by(int status) {
  ChildOutcome outcome;
  if (WIFSIGNALED(status)) {
    outcome.end = ChildEnd::kSignalled;
    outcome.signal = WTERMSIG(status);
    return outcome;
  }
  outcome.exit_code = WEXITSTATUS(status);
  return outcome;
}

/// Kills the child's process group and waits for the child: after SIGKILL it cannot linger.
void kill_and_reap(pid_t pid) {
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

bool stop_asked(const ChildLimits& limits) { return limits.stop != nullptr && limits.stop->load(); }

/// Reads the child's stdout and waits for it to exit, until the deadline or a stop.
ChildOutcome wait_for(pid_t pid, OutputPipe& output, const ChildLimits& limits) {
  Clock::time_point deadline = Clock::now() + limits.timeout;
  while (true) {
    ChildEnd killed = stop_asked(limits) ? ChildEnd::kStopped : ChildEnd::kTimedOut;
    // Rounded up: a deadline less than a millisecond away is not yet past.
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (killed == ChildEnd::kStopped || left.count() <= 0) {
      kill_and_reap(pid);
      return ChildOutcome{killed, 0, 0, output.take()};
    }
    std::chrono::milliseconds slice = std::min(left, kStopPoll);
    if (output.open()) {
      output.read_for(slice);
      continue;
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      ChildOutcome outcome = ended_by(status);
      outcome.output = output.take();
      return outcome;
    }
    std::this_thread::sleep_for(std::min(slice, kReapPoll));
  }
}

}  // namespace

Result<ChildOutcome> run_child(const std::vector<std::string>& argv, const ChildLimits& limits) {
  if (argv.empty()) return usage_error("no command to run");
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0)
    return usage_error("cannot make a pipe for " + argv[0] + ": " + std::strerror(errno));
  OutputPipe output(pipe_ends[0]);
  pid_t pid = 0;
  int failure = spawn(argv, pipe_ends[1], pid);
  ::close(pipe_ends[1]);  // the child holds its copy: end of file once it is gone
  if (failure != 0) return usage_error("cannot start " + argv[0] + ": " + std::strerror(failure));
  return wait_for(pid, output, limits);
}

}  // namespace run::process
