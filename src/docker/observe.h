#pragma once

#include <rapidjson/document.h>

#include "core/result.h"
#include "docker/docker_api.h"
#include "model/desired_state.h"
#include "model/observed_state.h"

namespace run::docker {

/// One snapshot of what the daemon holds for the desired state's project and environment:
/// its containers (one list call by label, then one inspect each for what `docker update`
/// changes), the containers, networks and volumes that would clash with its names, its
/// networks and volumes, and the local id of each image it names. Only GET requests; the
/// inspects run several at a time, so `api` must accept requests from several threads.
Result<model::ObservedState> observe(DockerApi& api, const model::DesiredState& desired);

/// The JSON of a successful answer to GET `path`; any other answer, or malformed JSON, is an
/// error naming Docker.
Result<rapidjson::Document> get_docker_json(DockerApi& api, const std::string& path);

}  // namespace run::docker
