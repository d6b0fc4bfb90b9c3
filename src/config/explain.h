#pragma once

#include <string>

#include "config/config_loader.h"
#include "core/result.h"
#include "model/explanation.h"

namespace run::config {

/// The override chain of the value at `path` (e.g. "services.worker.replicas") in a loaded
/// configuration: each file that sets it (or removes it, or one of its parents, with an
/// explicit null) and the final value. An error, with a suggestion, when no file mentions it.
Result<model::Explanation> explain_value(const LoadedConfig& config, const std::string& path);

}  // namespace run::config
