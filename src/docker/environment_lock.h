#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
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

using Labels = std::map<std::string, std::string>;

/// Where an environment's lock lives: an object with a fixed name that the daemon creates
/// atomically (a container on one engine, a config on a swarm), its holder in its labels.
class LockObjects {
 public:
  virtual ~LockObjects() = default;
  /// Creates the object `name` with `labels`: its id, or nullopt when one has that name.
  virtual Result<std::optional<std::string>> create(const std::string& name,
                                                    const Labels& labels) = 0;
  /// The object named `name`: its id and labels; nullopt when there is none.
  virtual Result<std::optional<std::pair<std::string, Labels>>> find(const std::string& name) = 0;
  virtual Status remove(const std::string& id) = 0;
  /// What DELETE request removes `id`, for a releaser called while the process exits.
  virtual std::string removal_path(const std::string& id) const = 0;
  virtual DockerApi& api() = 0;
  /// "container", "config": what the object is, for errors.
  virtual std::string kind() const = 0;
};

/// The lock as a container created (never started) from a tiny image run imports on first use.
std::shared_ptr<LockObjects> container_lock_objects(DockerApi& api);

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
  static Result<EnvironmentLock> acquire(std::shared_ptr<LockObjects> objects,
                                         const std::string& project, const std::string& environment,
                                         const std::string& command, std::chrono::milliseconds wait,
                                         const std::atomic<bool>* stop = nullptr);

  /// As acquire, but a lock someone holds is an answer, not an error: the holder read when
  /// the attempt gave up (a caller that read it again could find the lock released since,
  /// and take "held" for a failure). Errors are the daemon's, or an interrupted wait.
  static Result<LockAttempt> try_acquire(std::shared_ptr<LockObjects> objects,
                                         const std::string& project, const std::string& environment,
                                         const std::string& command, std::chrono::milliseconds wait,
                                         const std::atomic<bool>* stop = nullptr);

  EnvironmentLock(EnvironmentLock&& other) noexcept;
  EnvironmentLock& operator=(EnvironmentLock&&) = delete;
  EnvironmentLock(const EnvironmentLock&) = delete;
  ~EnvironmentLock();  ///< releases the lock if release() was not called

  /// Removes the lock object; reports whether that worked.
  Status release();

  /// Removes this lock's object, for a process about to exit without unwinding (a second
  /// Ctrl-C). Safe on any thread and after release(): it removes by id, so it never touches
  /// a lock another run took since. Bounded in time, so an abort stays prompt.
  std::function<void()> releaser() const;

 private:
  EnvironmentLock(std::shared_ptr<LockObjects> objects, std::string id)
      : objects_(std::move(objects)), id_(std::move(id)) {}
  std::shared_ptr<LockObjects> objects_;
  std::string id_;
};

/// Whether the lock's holder is a process of this host that no longer exists (killed, or its
/// machine restarted): the lock is stale. A holder on another host cannot be checked.
bool holder_gone(const LockHolder& holder);

/// "shop/dev is locked by HOLDER (pid N, apply since T)", with how to wait or force-unlock:
/// what a command says when it needs the lock and someone holds it.
Diagnostic locked_error(const std::string& project, const std::string& environment,
                        const LockHolder& holder);

/// Removes an environment's lock whoever holds it (run force-unlock); returns the holder it
/// removed, nullopt when there was none.
Result<std::optional<LockHolder>> force_unlock(LockObjects& objects, const std::string& project,
                                               const std::string& environment);

}  // namespace run::docker
