#include "model/fingerprint.h"

#include <algorithm>
#include <vector>

#include "model/names.h"
#include "model/service_fields.h"
#include "model/swarm_fields.h"

namespace run::model {

namespace {

std::string join_sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::string in_place_text(const InPlaceSettings& settings) {
  std::string text;
  for (const auto& [path, value] : in_place_fields(settings)) text += " " + path + "=" + value;
  return text;
}

/// On a swarm, what the service spec holds beyond the container's fields (placement, rollout
/// settings, ...): a change there between plan and apply makes a saved plan stale too.
std::string swarm_text(DeployTarget target, const ServiceSpec& service) {
  if (target != DeployTarget::kSwarm) return {};
  FieldMap container = recreate_fields(service, SecretForm::kFingerprint);
  std::string text;
  for (const auto& [path, value] : swarm_fields(service, SecretForm::kFingerprint))
    if (!container.count(path)) text += " " + path + "=" + value;
  return text;
}

}  // namespace

std::string desired_fingerprint_text(const DesiredState& desired) {
  std::vector<std::string> lines;
  for (const ServiceSpec& service : desired.services)
    lines.push_back("service " + service.name + " hash=" + service.config_hash +
                    " replicas=" + std::to_string(service.replicas) +
                    in_place_text(service.in_place) + swarm_text(desired.target, service));
  for (const NetworkSpec& network : desired.networks) lines.push_back("network " + network.name);
  for (const VolumeSpec& volume : desired.volumes) lines.push_back("volume " + volume.name);
  return join_sorted(std::move(lines));
}

std::string observed_fingerprint_text(const ObservedState& observed) {
  std::vector<std::string> lines;
  for (const ObservedContainer& container : observed.containers)
    lines.push_back(
        "container " + container.name + " id=" + container.id.substr(0, 12) +
        " state=" + container.state + " hash=" + container.label(kLabelConfigHash) +
        " image=" + container.image_id +
        in_place_text(InPlaceSettings{container.cpus, container.memory_bytes, container.restart}));
  for (const ObservedContainer& container : observed.foreign_containers)
    lines.push_back("foreign container " + container.name);
  for (const ObservedNetwork& network : observed.networks)
    lines.push_back("network " + network.name);
  for (const ObservedVolume& volume : observed.volumes) lines.push_back("volume " + volume.name);
  for (const std::string& name : observed.foreign_networks)
    lines.push_back("foreign network " + name);
  for (const std::string& name : observed.foreign_volumes)
    lines.push_back("foreign volume " + name);
  for (const ObservedService& service : observed.services)
    lines.push_back("service " + service.name + " id=" + service.id.substr(0, 12) +
                    " version=" + std::to_string(service.version));
  for (const std::string& name : observed.foreign_services)
    lines.push_back("foreign service " + name);
  for (const auto& [image, id] : observed.image_ids)
    lines.push_back("image " + image + " id=" + id);
  return join_sorted(std::move(lines));
}

}  // namespace run::model
