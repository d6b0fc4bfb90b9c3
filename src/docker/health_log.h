#pragma once

#include <cstddef>
#include <vector>

#include <rapidjson/document.h>

#include "model/observed_state.h"

namespace run::docker {

/// The last `count` runs of a container's health check, oldest first, from the `State` object
/// of its inspect (`State.Health.Log`, which Docker keeps to its last five); each output
/// trimmed. Empty without a health check or a log.
std::vector<model::HealthCheckOutput> health_outputs_of(const rapidjson::Value& state,
                                                        std::size_t count);

}  // namespace run::docker
