#include "observed_fixture.h"

#include <rapidjson/document.h>

#include "model/names.h"
#include "model/service_fields.h"
#include "model/units.h"

namespace run::testing {

namespace {

using model::ObservedContainer;

std::string text(const rapidjson::Value& object, const char* key, std::string fallback = {}) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : fallback;
}

int number(const rapidjson::Value& object, const char* key, int fallback) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : fallback;
}

model::FieldMap spec_fields(const rapidjson::Value& item, const model::ServiceSpec* service) {
  model::FieldMap fields = service
                               ? model::recreate_fields(*service, model::SecretForm::kFingerprint)
                               : model::FieldMap{};
  auto patch = item.FindMember("spec_patch");
  if (patch == item.MemberEnd() || !patch->value.IsObject()) return fields;
  for (const auto& entry : patch->value.GetObject()) {
    if (entry.value.IsNull())
      fields.erase(entry.name.GetString());
    else if (entry.value.IsString())
      fields[entry.name.GetString()] = entry.value.GetString();
  }
  return fields;
}

ObservedContainer container_of(const rapidjson::Value& item, const model::DesiredState& desired,
                               const model::ObservedState& state) {
  ObservedContainer container;
  std::string service_name = text(item, "service");
  int replica = number(item, "replica", 1);
  const model::ServiceSpec* service = desired.find_service(service_name);
  container.name =
      text(item, "name",
           model::container_name(desired.project, desired.environment, service_name, replica));
  container.id = text(item, "id", "id-" + container.name);
  container.state = text(item, "state", "running");
  container.health = text(item, "health");
  bool patched = item.HasMember("spec_patch");
  std::string hash = text(item, "config_hash", patched || !service ? "stale-hash" : "@desired");
  container.labels = {
      {model::kLabelProject, desired.project},
      {model::kLabelEnvironment, desired.environment},
      {model::kLabelService, service_name},
      {model::kLabelReplica, text(item, "replica_label", std::to_string(replica))},
      {model::kLabelConfigHash, hash == "@desired" && service ? service->config_hash : hash},
      {model::kLabelSpec, model::field_map_to_json(spec_fields(item, service))}};
  model::InPlaceSettings in_place = service ? service->in_place : model::InPlaceSettings{};
  if (item.HasMember("cpus") && item["cpus"].IsNumber()) in_place.cpus = item["cpus"].GetDouble();
  if (item.HasMember("memory"))
    in_place.memory_bytes = model::parse_memory_bytes(text(item, "memory"));
  in_place.restart = text(item, "restart", in_place.restart);
  container.cpus = in_place.cpus;
  container.memory_bytes = in_place.memory_bytes;
  container.restart = in_place.restart;
  std::string image = service ? service->image : "";
  auto local = state.image_ids.find(image);
  container.image = image;
  container.image_id = text(item, "image_id", local == state.image_ids.end() ? "" : local->second);
  return container;
}

std::vector<std::string> strings(const rapidjson::Value& root, const char* key) {
  std::vector<std::string> values;
  auto it = root.FindMember(key);
  if (it == root.MemberEnd() || !it->value.IsArray()) return values;
  for (const auto& item : it->value.GetArray())
    if (item.IsString()) values.emplace_back(item.GetString());
  return values;
}

}  // namespace

Result<model::ObservedState> load_observed_fixture(const std::string& json_text,
                                                   const model::DesiredState& desired) {
  rapidjson::Document root;
  root.Parse(json_text.c_str(), json_text.size());
  if (root.HasParseError() || !root.IsObject())
    return make_error(SourceLocation{"observed.json", 0, 0}, "", "not a JSON object");
  model::ObservedState state;
  if (root.HasMember("images") && root["images"].IsObject())
    for (const auto& image : root["images"].GetObject()) {
      std::string name = image.name.GetString();
      // "@web": the image the desired service web names (a built one's tag is a hash).
      if (name.starts_with('@'))
        if (const model::ServiceSpec* spec = desired.find_service(name.substr(1)))
          name = spec->image;
      state.image_ids[name] = image.value.GetString();
    }
  if (root.HasMember("containers") && root["containers"].IsArray())
    for (const auto& item : root["containers"].GetArray())
      state.containers.push_back(container_of(item, desired, state));
  for (const std::string& name : strings(root, "foreign_containers")) {
    ObservedContainer foreign;
    foreign.name = name;
    foreign.id = "foreign-" + name;
    state.foreign_containers.push_back(foreign);
  }
  for (const std::string& name : strings(root, "networks"))
    state.networks.push_back({"net-" + name, name, {{model::kLabelProject, desired.project}}});
  for (const std::string& name : strings(root, "volumes"))
    state.volumes.push_back({name, {{model::kLabelProject, desired.project}}});
  state.foreign_networks = strings(root, "foreign_networks");
  state.foreign_volumes = strings(root, "foreign_volumes");
  return state;
}

}  // namespace run::testing
