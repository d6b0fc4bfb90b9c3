#pragma once

#include <string>

#include "core/result.h"
#include "model/desired_state.h"

namespace run::app {

/// Errors when `desired` deploys to a swarm and `command` (logs, exec, task) works on
/// containers of one engine: a swarm's tasks run on other nodes. Says what to use instead.
Status refuse_on_swarm(const model::DesiredState& desired, const std::string& command,
                       const std::string& instead);

}  // namespace run::app
