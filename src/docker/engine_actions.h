#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "docker/docker_api.h"

namespace run::docker {

/// The state of one container, as a health gate needs it.
struct ContainerStatus {
  std::string state;   ///< running, exited, created, ...
  std::string health;  ///< healthy, unhealthy, starting; empty without a health check
  int exit_code = 0;
};

/// The writes the executor makes, one Engine API call each (two for a pull's stream check).
/// Each error names the object and carries Docker's message.
Result<std::string> create_container(DockerApi& api, const std::string& name,
                                     const std::string& body);
Status start_container(DockerApi& api, const std::string& id);
Status stop_container(DockerApi& api, const std::string& id, int timeout_seconds);
Status remove_container(DockerApi& api, const std::string& id);
Status rename_container(DockerApi& api, const std::string& id, const std::string& new_name);
Status update_container(DockerApi& api, const std::string& id, const std::string& body);
Status connect_network(DockerApi& api, const std::string& network, const std::string& container_id,
                       const std::string& alias);
Result<ContainerStatus> container_status(DockerApi& api, const std::string& id);
/// The ids of the containers carrying all of `labels` (key=value), created ones included.
Result<std::vector<std::string>> container_ids_with_labels(
    DockerApi& api, const std::map<std::string, std::string>& labels);

/// Pulls `image` (a registry answers 200 and may report a failure inside the stream).
Status pull_image(DockerApi& api, const std::string& image);

Status create_network(DockerApi& api, const std::string& name,
                      const std::map<std::string, std::string>& labels, bool internal);
Status remove_network(DockerApi& api, const std::string& name);
Status create_volume(DockerApi& api, const std::string& name,
                     const std::map<std::string, std::string>& labels);
Status remove_volume(DockerApi& api, const std::string& name);

}  // namespace run::docker
