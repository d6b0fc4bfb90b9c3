#pragma once

#include "config/config_loader.h"
#include "model/desired_state.h"

namespace run::config {

/// The typed desired state of a loaded (merged, interpolated, validated) configuration:
/// every service canonical (env and labels sorted, durations in ms, memory in bytes, a
/// string command run by `/bin/sh -c`), secrets fingerprinted, and each service's config
/// hash taken over its recreate fields with secret values included, so a rotated secret
/// recreates. The environment's default network is always there. The target is the
/// environment's `target:`; on a swarm target each service's swarm settings are filled from
/// `deploy:`, `update:`, `rollback:`, `resources.reservations` and `restart:`, and on a
/// container target they stay default-constructed (validation refused those keys there).
/// The swarm settings are never part of the config hash: a container's hash is the same
/// whatever they say.
model::DesiredState build_desired_state(const LoadedConfig& config);

/// A service's config hash: the SHA-256 of its recreate fields with secret values included
/// (model::SecretForm::kValue), so a rotated secret recreates. The builder and a state
/// restored from history (history::resolve_secrets) both use it, so they cannot disagree.
std::string service_config_hash(const model::ServiceSpec& spec);

}  // namespace run::config
