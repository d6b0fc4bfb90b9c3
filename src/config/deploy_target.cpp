#include "config/deploy_target.h"

namespace run::config {

model::DeployTarget deploy_target_of(const model::Node& root, std::string_view environment) {
  const model::Node* environments = root.find("environments");
  const model::Node* entry = environments ? environments->find(environment) : nullptr;
  const model::Node* target = entry && entry->is_map() ? entry->find("target") : nullptr;
  bool swarm = target && target->kind == model::NodeKind::kString && target->text == "swarm";
  return swarm ? model::DeployTarget::kSwarm : model::DeployTarget::kContainers;
}

}  // namespace run::config
