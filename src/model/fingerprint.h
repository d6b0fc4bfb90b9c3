#pragma once

#include <string>

#include "model/desired_state.h"
#include "model/observed_state.h"

namespace run::model {

/// One line per thing a plan depends on, sorted: a service's config hash, replicas and
/// in-place settings; a network or volume. Equal texts mean an equal plan's input; the
/// lines that differ say what moved. Secrets appear only as their config hash.
std::string desired_fingerprint_text(const DesiredState& desired);

/// Likewise for the live side: each container's name, id, state, config hash, image id and
/// in-place settings; each network and volume; each image id; each foreign name.
std::string observed_fingerprint_text(const ObservedState& observed);

}  // namespace run::model
