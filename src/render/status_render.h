#pragma once

#include <string>

#include "plan/environment_status.h"
#include "render/color.h"

namespace run::render {

/// A table: SERVICE, REPLICAS (running/desired), HEALTH, IMAGE ("running -> wanted" when they
/// differ), STATE ("in sync", or what the
/// plan would still do: "drifted: 1 to replace"; "not in config" for leftovers).
std::string status_text(const plan::EnvironmentStatus& status, Color color = Color::kNo);

/// {"project", "environment", "in_sync", "services": [{"name", "in_config", "replicas":
/// {"desired", "running"}, "health": {"healthy", "unhealthy", "starting"}, "image",
/// "in_sync", "pending": [...]}]}
std::string status_json(const plan::EnvironmentStatus& status);

}  // namespace run::render
