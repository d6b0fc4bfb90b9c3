#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "apply/executor.h"
#include "build/context_tree.h"
#include "core/result.h"
#include "docker/container_exec.h"
#include "docker/container_logs.h"
#include "docker/environment_lock.h"
#include "docker/exec_session.h"
#include "docker/task_container.h"
#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"
#include "plan/planner.h"

namespace run::app {

/// An environment's lock while it is held.
class HeldLock {
 public:
  virtual ~HeldLock() = default;  ///< releases the lock when release() was not called
  /// Releases the lock; reports whether that worked.
  [[nodiscard]] virtual Status release() = 0;
  /// Releases it from any thread, for a process about to exit without unwinding (a second
  /// Ctrl-C); bounded in time, and harmless after release().
  virtual std::function<void()> releaser() const = 0;
};

/// What an attempt to take the lock came to: the lock, or who held it when the attempt gave up.
using LockAttempt = std::variant<std::unique_ptr<HeldLock>, docker::LockHolder>;

/// Opens the files of a build context the plan builds from: the working tree, or the commit a
/// rollback or the loop deploys.
using BuildContextOpener =
    std::function<Result<std::unique_ptr<build::ContextTree>>(const model::BuildSpec& build)>;

/// What the executor needs besides the plan.
struct ExecutionRequest {
  const model::DesiredState& desired;  ///< the specs the plan's creates and replaces name
  std::string project_directory;       ///< where relative bind mounts resolve
  std::string deployment;              ///< the record number new containers are labelled with
  apply::ProgressSink& progress;
  const std::atomic<bool>& stop;  ///< set on the first Ctrl-C: start nothing new
  apply::ExecutorOptions options;
  BuildContextOpener open_context;  ///< for the plan's builds
  bool no_cache = false;            ///< builds use no cached layer (run build --no-cache)
};

/// A task's one-off container as the use case made it (app/task_launch.h).
struct TaskLaunch {
  std::string project;
  std::string environment;
  std::string task;
  model::ServiceSpec container;   ///< image, command, env, volumes, networks; no ports
  std::string project_directory;  ///< where relative bind mounts resolve
  std::optional<std::chrono::milliseconds> timeout;
};

/// The seam between the use cases and what runs an environment's containers: one Docker
/// engine (DockerEngine) today. Each target brings its own observer, planner, lock and
/// executor; the use cases reach the engine through these only, so a new target changes no
/// use case.
class Engine {
 public:
  virtual ~Engine() = default;

  /// One snapshot of what runs for `desired`'s project and environment.
  virtual Result<model::ObservedState> observe(const model::DesiredState& desired) = 0;
  /// The smallest plan that makes `observed` what `desired` says. Pure.
  virtual plan::Plan plan(const model::DesiredState& desired, const model::ObservedState& observed,
                          const plan::PlanOptions& options) const = 0;
  /// Takes the environment's lock for `command`, waiting up to `wait`, or says who holds it.
  /// Errors are the engine's, or a wait that `stop` cut short.
  virtual Result<LockAttempt> try_lock(const std::string& project, const std::string& environment,
                                       const std::string& command, std::chrono::milliseconds wait,
                                       const std::atomic<bool>& stop) = 0;
  /// Carries the plan out and decides nothing.
  virtual apply::ExecutionReport execute(const plan::Plan& plan,
                                         const ExecutionRequest& request) = 0;
  /// Removes the environment's lock whoever holds it; the holder removed, if there was one.
  virtual Result<std::optional<docker::LockHolder>> force_unlock(
      const std::string& project, const std::string& environment) = 0;
  /// A container's logs as they are now (of those `request` asks for), in their order.
  virtual Result<std::vector<docker::LogLine>> read_logs(const std::string& container_id,
                                                         const docker::LogRequest& request) = 0;
  /// Passes a container's lines to `on_line` as they come (called from the calling thread),
  /// until its stream ends (the container stopped or was removed) or `stop` is set: ok both.
  virtual Status follow_logs(const std::string& container_id, const docker::LogRequest& request,
                             const std::function<void(const docker::LogLine&)>& on_line,
                             const std::atomic<bool>& stop) = 0;
  /// Runs `command` in a running container, its output passed to `on_output` byte for byte
  /// (from the calling thread) until it ends; its exit code, or 130 when `stop` cut it short.
  virtual Result<int> exec(const std::string& container_id, const std::vector<std::string>& command,
                           const docker::OutputSink& on_output, const std::atomic<bool>& stop) = 0;
  /// Starts `spec`'s command in a running container with its stdin and output attached (run
  /// exec -i/-t): the session is the caller's to drive to its end. Errors: the engine's (no
  /// such container, not running).
  virtual Result<std::unique_ptr<docker::ExecSession>> start_exec_session(
      const std::string& container_id, const docker::ExecSessionSpec& spec) = 0;
  /// Runs a task's container on the environment's network to its end, its lines passed to
  /// `on_line` as they come (from the calling thread), and removes it; stopped and removed
  /// when `stop` is set or its timeout passes. Errors: the engine's (no such image, the task
  /// already running).
  virtual Result<docker::ContainerExit> run_task(
      const TaskLaunch& launch, const std::function<void(const docker::LogLine&)>& on_line,
      const std::atomic<bool>& stop) = 0;
};

}  // namespace run::app
