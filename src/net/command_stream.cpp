#include "net/command_stream.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace run::net {

namespace {

/// How long a command has to end after SIGTERM before it is killed.
constexpr std::chrono::seconds kTermGrace{1};
constexpr std::chrono::milliseconds kReapPoll{5};

bool set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

std::string basename_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

/// The child's side: stdin and stdout on `socket`, stderr on `error_pipe`, a session of its own.
int spawn(const std::vector<std::string>& argv, int socket, int error_pipe, pid_t& pid) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawn_file_actions_adddup2(&actions, socket, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, socket, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, error_pipe, STDERR_FILENO);
  // run ignores no signals and blocks none the command needs, but a signal mask or SIGPIPE
  // ignored by whoever started run must not reach the command.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int failure = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  return failure;
}

}  // namespace

std::unique_ptr<CommandStream> CommandStream::start(const std::vector<std::string>& argv,
                                                    int& socket, NetError& error) {
  auto fail = [&](std::string what, int number) {
    error = {NetError::Kind::kConnect, what + ": " + std::strerror(number)};
    return nullptr;
  };
  if (argv.empty()) {
    error = {NetError::Kind::kConnect, "no command to run"};
    return nullptr;
  }
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0)
    return fail("cannot make a socket pair for " + argv[0], errno);
  int pipe_ends[2];
  if (pipe2(pipe_ends, O_CLOEXEC) != 0) {
    int number = errno;
    close(sockets[0]);
    close(sockets[1]);
    return fail("cannot make a pipe for " + argv[0], number);
  }
  pid_t pid = -1;
  int failure = spawn(argv, sockets[1], pipe_ends[1], pid);
  // The child holds its own copies: ours of its ends would keep the stream open after it ended.
  close(sockets[1]);
  close(pipe_ends[1]);
  if (failure == 0 && !(set_nonblocking(sockets[0]) && set_nonblocking(pipe_ends[0])))
    failure = errno;
  if (failure != 0) {
    close(sockets[0]);
    close(pipe_ends[0]);
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    return fail("cannot run " + argv[0], failure);
  }
  socket = sockets[0];
  return std::unique_ptr<CommandStream>(new CommandStream(pid, pipe_ends[0], basename_of(argv[0])));
}

CommandStream::CommandStream(pid_t pid, int error_pipe, std::string name)
    : pid_(pid), error_pipe_(error_pipe), name_(std::move(name)) {}

CommandStream::~CommandStream() {
  if (error_pipe_ >= 0) close(error_pipe_);
  kill(pid_, SIGTERM);
  for (auto give_up = Clock::now() + kTermGrace; Clock::now() < give_up;) {
    pid_t reaped = waitpid(pid_, nullptr, WNOHANG);
    if (reaped == pid_ || (reaped < 0 && errno != EINTR)) return;
    std::this_thread::sleep_for(kReapPoll);
  }
  kill(pid_, SIGKILL);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

void CommandStream::drain_error_pipe(Clock::time_point deadline) {
  char buffer[1024];
  while (error_pipe_ >= 0) {
    long count = read(error_pipe_, buffer, sizeof buffer);
    if (count > 0) {
      error_output_.append(buffer, static_cast<std::size_t>(count));
      if (error_output_.size() > kErrorOutputLimit)
        error_output_.erase(0, error_output_.size() - kErrorOutputLimit);
      continue;
    }
    if (count == 0 || (errno != EAGAIN && errno != EINTR)) {
      close(error_pipe_);
      error_pipe_ = -1;
      return;
    }
    if (errno == EAGAIN && poll_until(error_pipe_, POLLIN, deadline) <= 0) return;
  }
}

std::string CommandStream::error_output(Clock::time_point deadline) {
  drain_error_pipe(deadline);
  std::string text = error_output_;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  return text;
}

}  // namespace run::net
