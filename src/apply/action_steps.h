#pragma once

#include "apply/executor.h"
#include "core/result.h"

namespace run::apply {

/// Does one action of a plan against Docker: the calls, in order, and the clean-up that
/// leaves no orphan when one of them fails (a container that was created but would not
/// start is removed, so the next plan shows the create again). When a container would not
/// start or get ready, `diagnostics` gets what it showed of itself, read before its removal.
Status run_action(const plan::Action& action, ExecutionContext& context,
                  std::vector<std::string>& diagnostics);

/// Waits until the container is healthy (or, without a health check, running), failing as
/// soon as it is unhealthy or has exited, or when `timeout` passes.
Status wait_until_ready(docker::DockerApi& api, const std::string& id, const std::string& what,
                        std::chrono::seconds timeout);

}  // namespace run::apply
