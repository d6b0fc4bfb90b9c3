#pragma once

#include <string>

#include "core/result.h"
#include "model/desired_state.h"
#include "model/observed_state.h"

namespace run::testing {

/// Reads a golden case's observed.json into an ObservedState. So that fixtures stay short and
/// readable, a container defaults to matching the desired service it names: its spec label
/// and config hash are the desired ones ("@desired"), its in-place settings too, its state
/// "running", its image id the local one. A fixture states only what differs:
///   {"service": "app", "replica": 1, "state": "exited", "memory": "1G",
///    "spec_patch": {"image": "app:1.0"}, "config_hash": "old", "image_id": "sha256:old"}
/// A spec_patch (a null removes a field) makes the hash stale unless config_hash is given.
/// An image named "@web" in "images" is the image the desired service web names (a built
/// service's tag is the content hash of its context).
Result<model::ObservedState> load_observed_fixture(const std::string& json_text,
                                                   const model::DesiredState& desired);

}  // namespace run::testing
