#include "config/notify_settings.h"

namespace run::config {

NotifySettings notify_settings(const LoadedConfig& config) {
  NotifySettings settings;
  const model::Node* notify = config.merged.find("notify");
  if (notify == nullptr || !notify->is_map()) return settings;
  const model::Node* webhook = notify->find("webhook");
  // The schema admits only a string here; an empty one is how a variable turns the webhook off.
  if (webhook == nullptr || webhook->kind != model::NodeKind::kString || webhook->text.empty())
    return settings;
  settings.webhook_url = webhook->text;
  return settings;
}

}  // namespace run::config
