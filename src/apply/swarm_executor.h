#pragma once

#include <atomic>
#include <string>

#include "apply/executor.h"
#include "apply/progress.h"
#include "docker/docker_api.h"
#include "model/desired_state.h"
#include "plan/plan.h"

namespace run::apply {

/// Everything the swarm executor needs besides the plan.
struct SwarmExecution {
  docker::DockerApi& api;  ///< a manager
  const model::DesiredState& desired;
  std::string deployment;  ///< the run.deployment label of the services it creates or updates
  ProgressSink& progress;
  const std::atomic<bool>& stop_requested;  ///< set on the first Ctrl-C: stop waiting
  ExecutorOptions options;                  ///< wait_timeout bounds each service's rollout
};

/// Carries out a swarm plan (plan::make_swarm_plan) and decides nothing: networks are made
/// (overlay, attachable), then every service is created or updated (an update names the
/// Version.Index it was planned against: the manager refuses it when someone changed the
/// service since, which is reported as a stale plan), then each is waited for until the
/// manager says its rollout completed and as many tasks run as it wants (a one-shot job:
/// until they completed), with "web: 2/4 tasks running" as progress; then services and
/// networks are removed. A rollout the manager pauses or rolls back, a task that keeps
/// failing, or the wait timeout, fails that service's action with the tasks' error. After a
/// Ctrl-C nothing new is sent and the waits end: the manager goes on with what it was given.
ExecutionReport execute_on_swarm(const plan::Plan& plan, SwarmExecution& context);

}  // namespace run::apply
