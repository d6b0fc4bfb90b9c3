#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "core/result.h"
#include "docker/docker_api.h"

namespace run::docker {

/// Who holds a lock, as its labels say.
struct LockHolder {
  std::string holder;  ///< user@host
  std::string pid;
  std::string command;  ///< apply, destroy, ...
  std::string since;    ///< UTC, ISO 8601
};

/// The label that marks a lock container, so observe never takes it for a service's.
inline constexpr const char* kLabelLock = "run.lock";

/// The name of an environment's lock: `run-lock-<project>-<env>`.
std::string lock_name(const std::string& project, const std::string& environment);

/// One apply per project and environment at a time, across processes and machines that share
/// the daemon. The lock is a container with a fixed name, created (never started) from a
/// tiny image run imports on first use: the daemon creates a name atomically, so of two
/// applies exactly one gets it. The holder, host, pid, command and time are its labels.
class EnvironmentLock;

/// What an attempt to take the lock came to: the lock, or who held it when the attempt gave up.
using LockAttempt = std::variant<EnvironmentLock, LockHolder>;

class EnvironmentLock {
 public:
  /// Takes the lock, retrying for up to `wait` (zero: fail at once). The error names the
  /// holder and says how to wait or force-unlock. When `stop` becomes true (Ctrl-C) it stops
  /// waiting at once: a user who gives up on a long --lock-timeout must not be ignored.
  static Result<EnvironmentLock> acquire(DockerApi& api, const std::string& project,
                                         const std::string& environment, const std::string& command,
                                         std::chrono::milliseconds wait,
                                         const std::atomic<bool>* stop = nullptr);

  /// As acquire, but a lock someone holds is an answer, not an error: the holder read when
  /// the attempt gave up (a caller that read it again could find the lock released since,
  /// and take "held" for a failure). Errors are the daemon's, or an interrupted wait.
  static Result<LockAttempt> try_acquire(DockerApi& api, const std::string& project,
                                         const std::string& environment, const std::string& command,
                                         std::chrono::milliseconds wait,
                                         const std::atomic<bool>* stop = nullptr);

  EnvironmentLock(EnvironmentLock&& other) noexcept;
  EnvironmentLock& operator=(EnvironmentLock&&) = delete;
  EnvironmentLock(const EnvironmentLock&) = delete;
  ~EnvironmentLock();  ///< releases the lock if release() was not called

  /// Removes the lock container; reports whether that worked.
  Status release();

  /// Removes this lock's container, for a process about to exit without unwinding (a second
  /// Ctrl-C). Safe on any thread and after release(): it removes by id, so it never touches
  /// a lock another run took since. Bounded in time, so an abort stays prompt.
  std::function<void()> releaser() const;

 private:
  EnvironmentLock(DockerApi& api, std::string id) : api_(&api), id_(std::move(id)) {}
  DockerApi* api_;
  std::string id_;
};

/// "shop/dev is locked by HOLDER (pid N, apply since T)", with how to wait or force-unlock:
/// what a command says when it needs the lock and someone holds it.
Diagnostic locked_error(const std::string& project, const std::string& environment,
                        const LockHolder& holder);

/// Removes an environment's lock whoever holds it (run force-unlock); returns the holder it
/// removed, nullopt when there was none.
Result<std::optional<LockHolder>> force_unlock(DockerApi& api, const std::string& project,
                                               const std::string& environment);

}  // namespace run::docker
