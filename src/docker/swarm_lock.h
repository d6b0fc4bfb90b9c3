#pragma once

#include <memory>

#include "docker/environment_lock.h"

namespace run::docker {

/// An environment's lock on a swarm: a swarm config named `run-lock-<project>-<env>`, the
/// holder in its labels. The managers agree on a config's name through their raft log, so
/// two applies through two managers still cannot both take it; and it needs no image on any
/// node.
std::shared_ptr<LockObjects> swarm_lock_objects(DockerApi& api);

}  // namespace run::docker
