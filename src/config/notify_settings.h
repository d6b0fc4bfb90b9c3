#pragma once

#include <optional>
#include <string>

#include "config/config_loader.h"

namespace run::config {

/// Where `run reconcile` sends notifications: the top-level `notify:` section of the merged,
/// interpolated configuration (an overlay may set or override it). It is read beside the
/// desired state, never into it: changing it changes no plan and no config hash.
struct NotifySettings {
  /// `notify.webhook`: an http:// or https:// URL (the schema checked it); nullopt when the
  /// section or the key is absent, null, or the empty string (e.g. `${HOOK_URL:-}` unset).
  std::optional<std::string> webhook_url;
};

/// The notify settings of a loaded (merged, interpolated, validated) configuration.
NotifySettings notify_settings(const LoadedConfig& config);

}  // namespace run::config
