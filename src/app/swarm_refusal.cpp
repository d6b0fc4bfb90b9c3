#include "app/swarm_refusal.h"

namespace run::app {

Status refuse_on_swarm(const model::DesiredState& desired, const std::string& command,
                       const std::string& instead) {
  if (desired.target != model::DeployTarget::kSwarm) return ok_status();
  return usage_error("run " + command + " works on the containers of one engine, and " +
                         desired.project + "/" + desired.environment +
                         " deploys to a swarm, whose tasks run on its nodes",
                     instead);
}

}  // namespace run::app
