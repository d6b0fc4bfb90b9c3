#pragma once

#include <string_view>

#include "model/document.h"
#include "model/swarm_settings.h"

namespace run::config {

/// What `environment` deploys as, read from `environments.<environment>.target` of a merged
/// configuration: kSwarm for `swarm`; kContainers when it says `containers`, says nothing, or
/// the environment is not declared (validation reports that). Where an environment deploys
/// is written beside its `engine:`, in the `environments:` section. The builder and the
/// semantic checks both ask here, so they never disagree on an environment's target.
model::DeployTarget deploy_target_of(const model::Node& root, std::string_view environment);

}  // namespace run::config
