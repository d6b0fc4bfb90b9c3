#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "model/desired_state.h"

namespace run::docker {

/// What a swarm service needs besides its spec: the names it is known by in Docker and run's
/// labels.
struct SwarmServicePlacement {
  std::string project;
  std::string environment;
  std::string deployment;  ///< the record number, as the run.deployment label
  /// TaskTemplate.ForceUpdate: an update sends the service's own back, so that it neither
  /// forces a rollout nor undoes someone's `docker service update --force` count.
  std::uint64_t force_update = 0;
};

/// The ServiceSpec body of POST /services/create and /services/{id}/update for `spec`: the
/// container (image, command, entrypoint, env, labels, health check, init, user, working
/// directory, stop signal and grace period, mounts), resources, the restart condition,
/// placement, the environment's networks (each with the service's name as an alias), the
/// mode and replicas, update and rollback settings, and the endpoint (host-mode ports, vip
/// or dnsrr). The service carries run's labels, and run.image: the reference as written.
std::string swarm_service_body(const model::ServiceSpec& spec,
                               const SwarmServicePlacement& placement);

}  // namespace run::docker
