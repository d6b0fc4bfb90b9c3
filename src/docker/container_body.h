#pragma once

#include <map>
#include <string>

#include "model/desired_state.h"

namespace run::docker {

/// What a container needs besides its spec: its name in Docker, its labels, and where
/// relative bind mounts are resolved.
struct ContainerPlacement {
  std::string project;
  std::string environment;
  std::string project_directory;              ///< absolute; "./conf" mounts resolve against it
  std::map<std::string, std::string> labels;  ///< run's labels, merged over the spec's own
};

/// The body of POST /containers/create for one replica of `spec`: command, env, labels,
/// health check, ports, mounts (named volumes as `<project>-<env>-<name>`), resources,
/// restart policy, init, user, stop signal and grace period, and the environment's default
/// network with the service name as an alias (so replicas are reachable by service name).
std::string container_create_body(const model::ServiceSpec& spec,
                                  const ContainerPlacement& placement);

/// A health check as Docker's API writes it (durations in nanoseconds, zero ones left out):
/// the same object in a container's Config and a swarm service's ContainerSpec.
std::string healthcheck_body(const model::HealthCheck& check);

/// The body of POST /containers/{id}/update for the in-place settings.
std::string container_update_body(const model::InPlaceSettings& settings);

}  // namespace run::docker
