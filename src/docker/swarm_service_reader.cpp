#include "docker/swarm_service_reader.h"

#include "docker/json_fields.h"
#include "model/names.h"

namespace run::docker {

namespace {

using rapidjson::Value;

constexpr std::int64_t kNanosPerMilli = 1'000'000;

std::optional<std::vector<std::string>> optional_strings(const Value& object, const char* name) {
  const Value* list = member_of(object, name);
  if (list == nullptr || !list->IsArray()) return std::nullopt;
  return strings_member(object, name);
}

const Value& object_or_empty(const Value* value) {
  static const Value empty(rapidjson::kObjectType);
  return value && value->IsObject() ? *value : empty;
}

/// The reference the user wrote, when the manager only pinned a digest to it.
std::string image_of(const std::string& image, const std::map<std::string, std::string>& labels) {
  auto written = labels.find(model::kLabelImage);
  if (written == labels.end()) return image;
  if (image == written->second || image.starts_with(written->second + "@")) return written->second;
  return image;
}

std::map<std::string, model::EnvValue> env_of(const Value& container) {
  std::map<std::string, model::EnvValue> env;
  for (const std::string& item : strings_member(container, "Env")) {
    std::size_t equals = item.find('=');
    env[item.substr(0, equals)].value = equals == std::string::npos ? "" : item.substr(equals + 1);
  }
  return env;
}

std::optional<model::HealthCheck> healthcheck_of(const Value& container) {
  const Value* check = member_of(container, "Healthcheck");
  if (check == nullptr || !check->IsObject()) return std::nullopt;
  model::HealthCheck health;
  health.test = strings_member(*check, "Test");
  health.interval_ms = integer_member(*check, "Interval") / kNanosPerMilli;
  health.timeout_ms = integer_member(*check, "Timeout") / kNanosPerMilli;
  health.start_period_ms = integer_member(*check, "StartPeriod") / kNanosPerMilli;
  health.retries = static_cast<int>(integer_member(*check, "Retries"));
  return health;
}

std::vector<model::Mount> mounts_of(const Value& container, const std::string& prefix) {
  std::vector<model::Mount> mounts;
  const Value* list = member_of(container, "Mounts");
  if (list == nullptr || !list->IsArray()) return mounts;
  for (const Value& item : list->GetArray()) {
    model::Mount mount;
    mount.kind =
        string_member(item, "Type") == "bind" ? model::MountKind::kBind : model::MountKind::kVolume;
    mount.source = string_member(item, "Source");
    if (mount.kind == model::MountKind::kVolume && mount.source.starts_with(prefix))
      mount.source = mount.source.substr(prefix.size());
    mount.target = string_member(item, "Target");
    const Value* read_only = member_of(item, "ReadOnly");
    mount.read_only = read_only && read_only->IsBool() && read_only->GetBool();
    mounts.push_back(std::move(mount));
  }
  return mounts;
}

void read_container(const Value& container, const std::string& prefix, model::ServiceSpec& spec) {
  spec.entrypoint = optional_strings(container, "Command");
  spec.command = optional_strings(container, "Args");
  spec.env = env_of(container);
  spec.labels = string_map_member(container, "Labels");
  spec.user = string_member(container, "User");
  spec.working_dir = string_member(container, "Dir");
  spec.stop_signal = string_member(container, "StopSignal");
  if (const Value* grace = member_of(container, "StopGracePeriod"); grace && grace->IsInt64())
    spec.stop_grace_period_ms = grace->GetInt64() / kNanosPerMilli;
  spec.healthcheck = healthcheck_of(container);
  const Value* init = member_of(container, "Init");
  spec.init = init && init->IsBool() && init->GetBool();
  spec.volumes = mounts_of(container, prefix);
}

void read_resources(const Value& resources, model::ServiceSpec& spec) {
  const Value& limits = object_or_empty(member_of(resources, "Limits"));
  const Value& reservations = object_or_empty(member_of(resources, "Reservations"));
  if (std::int64_t cpus = integer_member(limits, "NanoCPUs"); cpus > 0)
    spec.in_place.cpus = static_cast<double>(cpus) / 1e9;
  if (std::int64_t memory = integer_member(limits, "MemoryBytes"); memory > 0)
    spec.in_place.memory_bytes = memory;
  if (std::int64_t cpus = integer_member(reservations, "NanoCPUs"); cpus > 0)
    spec.swarm.reserved_cpus = static_cast<double>(cpus) / 1e9;
  if (std::int64_t memory = integer_member(reservations, "MemoryBytes"); memory > 0)
    spec.swarm.reserved_memory_bytes = memory;
}

void read_placement(const Value& placement, model::SwarmSettings& swarm) {
  swarm.constraints = strings_member(placement, "Constraints");
  if (const Value* preferences = member_of(placement, "Preferences");
      preferences && preferences->IsArray())
    for (const Value& preference : preferences->GetArray())
      swarm.preferences.push_back(
          string_member(object_or_empty(member_of(preference, "Spread")), "SpreadDescriptor"));
  swarm.max_replicas_per_node = static_cast<int>(integer_member(placement, "MaxReplicas"));
}

std::vector<std::string> networks_of(const Value& task,
                                     const std::map<std::string, std::string>& names) {
  std::vector<std::string> networks;
  const Value* list = member_of(task, "Networks");
  if (list == nullptr || !list->IsArray()) return networks;
  for (const Value& item : list->GetArray()) {
    std::string target = string_member(item, "Target");
    auto known = names.find(target);
    std::string name = known == names.end() ? target : known->second;
    if (name != model::kDefaultNetwork) networks.push_back(name);
  }
  return networks;
}

model::RolloutSettings rollout_of(const Value* config, bool& start_first) {
  model::RolloutSettings rollout;
  start_first = false;
  if (config == nullptr || !config->IsObject()) return rollout;
  rollout.parallelism =
      static_cast<int>(integer_member(*config, "Parallelism", rollout.parallelism));
  rollout.delay_ms = integer_member(*config, "Delay") / kNanosPerMilli;
  if (std::string action = string_member(*config, "FailureAction"); !action.empty())
    rollout.failure_action = action;
  rollout.monitor_ms =
      integer_member(*config, "Monitor", rollout.monitor_ms * kNanosPerMilli) / kNanosPerMilli;
  if (const Value* ratio = member_of(*config, "MaxFailureRatio"); ratio && ratio->IsNumber())
    rollout.max_failure_ratio = ratio->GetDouble();
  start_first = string_member(*config, "Order") == "start-first";
  return rollout;
}

void read_mode(const Value& mode, model::ServiceSpec& spec) {
  if (member_of(mode, "Global")) {
    spec.swarm.mode = model::SwarmMode::kGlobal;
  } else if (const Value* job = member_of(mode, "ReplicatedJob")) {
    spec.swarm.mode = model::SwarmMode::kReplicatedJob;
    spec.replicas = static_cast<int>(integer_member(*job, "TotalCompletions", 1));
  } else {
    spec.replicas = static_cast<int>(
        integer_member(object_or_empty(member_of(mode, "Replicated")), "Replicas", 1));
  }
}

void read_endpoint(const Value& endpoint, model::ServiceSpec& spec) {
  if (std::string mode = string_member(endpoint, "Mode"); !mode.empty())
    spec.swarm.endpoint_mode = mode;
  const Value* ports = member_of(endpoint, "Ports");
  if (ports == nullptr || !ports->IsArray()) return;
  for (const Value& item : ports->GetArray()) {
    model::PortBinding port;
    port.protocol = string_member(item, "Protocol");
    if (port.protocol.empty()) port.protocol = "tcp";
    port.container_port = static_cast<int>(integer_member(item, "TargetPort"));
    port.host_port = static_cast<int>(integer_member(item, "PublishedPort"));
    spec.ports.push_back(port);
  }
}

}  // namespace

model::ObservedService observed_service_of(const Value& item,
                                           const std::map<std::string, std::string>& networks,
                                           const std::string& prefix) {
  model::ObservedService service;
  service.id = string_member(item, "ID");
  service.version = static_cast<std::uint64_t>(
      integer_member(object_or_empty(member_of(item, "Version")), "Index"));
  const Value& spec = object_or_empty(member_of(item, "Spec"));
  service.name = string_member(spec, "Name");
  service.labels = string_map_member(spec, "Labels");
  const Value& update = object_or_empty(member_of(item, "UpdateStatus"));
  service.update_state = string_member(update, "State");
  service.update_message = string_member(update, "Message");

  model::ServiceSpec& out = service.spec;
  out.name = service.labels[model::kLabelService];
  const Value& task = object_or_empty(member_of(spec, "TaskTemplate"));
  const Value& container = object_or_empty(member_of(task, "ContainerSpec"));
  out.image = image_of(string_member(container, "Image"), service.labels);
  read_container(container, prefix, out);
  read_resources(object_or_empty(member_of(task, "Resources")), out);
  const Value& restart = object_or_empty(member_of(task, "RestartPolicy"));
  if (std::string condition = string_member(restart, "Condition"); !condition.empty())
    out.swarm.restart_condition = condition;
  read_placement(object_or_empty(member_of(task, "Placement")), out.swarm);
  out.networks = networks_of(task, networks);
  service.force_update = static_cast<std::uint64_t>(integer_member(task, "ForceUpdate"));
  read_mode(object_or_empty(member_of(spec, "Mode")), out);
  bool start_first = false;
  out.swarm.update = rollout_of(member_of(spec, "UpdateConfig"), start_first);
  if (start_first) out.update_order = model::UpdateOrder::kStartFirst;
  out.swarm.rollback = rollout_of(member_of(spec, "RollbackConfig"), start_first);
  out.swarm.rollback.start_first = start_first;
  read_endpoint(object_or_empty(member_of(spec, "EndpointSpec")), out);
  return service;
}

}  // namespace run::docker
