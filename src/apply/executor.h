#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "apply/image_builder.h"
#include "apply/progress.h"
#include "docker/docker_api.h"
#include "model/desired_state.h"
#include "plan/plan.h"

namespace run::apply {

struct ExecutorOptions {
  std::size_t parallelism = 4;  ///< actions in flight at once; waits never hold a slot
  /// How long a dependency may take to be started, healthy or completed, and a start-first
  /// replacement to become healthy.
  std::chrono::seconds wait_timeout{120};
};

/// Everything the executor needs besides the plan. `desired` provides the specs the plan's
/// creates and replaces name; nothing in it is decided again.
struct ExecutionContext {
  docker::DockerApi& api;
  const model::DesiredState& desired;
  std::string project_directory;  ///< where relative bind mounts resolve
  std::string deployment;         ///< the run.deployment label of new containers
  ProgressSink& progress;
  const std::atomic<bool>& stop_requested;  ///< set on the first Ctrl-C: start nothing new
  ExecutorOptions options;
  ImageBuilder* builder = nullptr;  ///< makes the plan's builds; none: a build fails
};

/// What happened to each action of the plan, by index.
struct ExecutionReport {
  std::vector<ActionResult> results;
  bool interrupted = false;

  std::size_t count(ActionState state) const;
  bool succeeded() const { return !interrupted && count(ActionState::kDone) == results.size(); }
};

/// Carries out `plan` and decides nothing: images are built first (in parallel, at most
/// `parallelism`), and a build that fails or is interrupted ends the execution there, with
/// nothing else changed (every other action is skipped); then images are pulled, networks
/// and volumes made,
/// then container actions run in parallel (at most `parallelism`), each once the services in
/// its `wait_for` meet their condition (started, healthy, completed_successfully); then what
/// the plan removes of networks and volumes.
/// A failed action skips the actions that depend on it and nothing else. A replace follows
/// the service's update order. Containers it creates carry run's labels.
ExecutionReport execute(const plan::Plan& plan, ExecutionContext& context);

}  // namespace run::apply
