#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>

#include "model/observed_state.h"

namespace run::docker {

/// An item of GET /services read back into the config's terms, the inverse of
/// swarm_service_body: what that body sets reads back as the spec it was made from, and an
/// absent field as Docker's default (the daemon omits those), so that an unchanged service
/// compares equal. `networks` maps network ids to their names in the config (the default
/// network is left out of the spec's list, as the config leaves it out); an id it lacks is
/// kept as it is, so a network attached by hand shows as a change. `prefix` is
/// `<project>-<env>-`, which volume names lose.
model::ObservedService observed_service_of(const rapidjson::Value& item,
                                           const std::map<std::string, std::string>& networks,
                                           const std::string& prefix);

}  // namespace run::docker
