#pragma once

#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "model/document.h"
#include "model/swarm_settings.h"

namespace run::config {

/// The environment a configuration is being loaded for, and what it deploys as.
struct TargetOfEnvironment {
  std::string environment;
  model::DeployTarget target = model::DeployTarget::kContainers;
};

/// The keys of one service (`services.<name>`, written `path`) that mean something on one
/// deploy target only. On containers (the default): `deploy`, `rollback`, `update` beyond
/// `order`, and `resources.reservations` are refused, since no container would honour them.
/// On a swarm: `build:` (the other nodes could not run the image), `depends_on` (a swarm has
/// no start order), a port bound to a host IP (a swarm
/// publishes on every address), a bind mount with a relative source (it would be read on
/// whichever node runs the task), and `replicas` or `deploy.placement.max_replicas_per_node`
/// on a global service. Each refusal is at the line of its key or list item: a key that
/// would do nothing is never dropped silently.
void check_service_target(const model::MapEntry& service, const std::string& path,
                          const TargetOfEnvironment& target, Diagnostics& out);

/// On a swarm, a task (`tasks.<name>`, written `path`) that is a pre- or post-deploy hook is
/// refused at its `when:` line: a hook runs a one-off container on one engine.
void check_task_target(const model::MapEntry& task, const std::string& path,
                       const TargetOfEnvironment& target, Diagnostics& out);

}  // namespace run::config
