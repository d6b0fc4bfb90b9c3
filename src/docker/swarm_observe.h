#pragma once

#include "core/result.h"
#include "docker/docker_api.h"
#include "model/desired_state.h"
#include "model/observed_state.h"

namespace run::docker {

/// Errors unless the engine is a manager of an active swarm: a worker or a lone engine
/// cannot take services, and saying so beats the daemon's "This node is not a swarm manager".
Status require_swarm_manager(DockerApi& api, const std::string& environment);

/// One snapshot of what a swarm holds for the desired state's project and environment: its
/// services by label, read into the config's terms (their Version.Index and ForceUpdate
/// kept), the tasks of each (how many run, the newest error), services of another owner
/// with one of its names, and its networks. Only GET requests, four of them.
Result<model::ObservedState> observe_swarm(DockerApi& api, const model::DesiredState& desired);

}  // namespace run::docker
