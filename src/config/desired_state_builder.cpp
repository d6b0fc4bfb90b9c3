#include "config/desired_state_builder.h"

#include <algorithm>
#include <cstdlib>

#include "config/deploy_target.h"
#include "config/digest.h"
#include "model/names.h"
#include "model/scalar_type.h"
#include "model/service_fields.h"
#include "model/units.h"

namespace run::config {

namespace {

using model::Node;
using model::NodeKind;

std::string text_at(const Node& map, std::string_view key) {
  const Node* node = map.find(key);
  return node && node->is_scalar() && node->kind != NodeKind::kNull ? node->text : std::string();
}

std::vector<std::string> strings_of(const Node& list) {
  std::vector<std::string> items;
  for (const Node& item : list.items) items.push_back(item.text);
  return items;
}

/// A command in exec form: a list as written, a string through the shell.
std::optional<std::vector<std::string>> command_at(const Node& service, std::string_view key) {
  const Node* node = service.find(key);
  if (node == nullptr || node->kind == NodeKind::kNull) return std::nullopt;
  if (node->kind == NodeKind::kSequence) return strings_of(*node);
  return std::vector<std::string>{"/bin/sh", "-c", node->text};
}

std::map<std::string, std::string> string_map(const Node* map) {
  std::map<std::string, std::string> values;
  if (map == nullptr) return values;
  for (const auto& entry : map->entries)
    values[entry.key] = entry.value.kind == NodeKind::kNull ? "" : entry.value.text;
  return values;
}

std::map<std::string, model::EnvValue> env_of(const Node& service, const std::string& project) {
  std::map<std::string, model::EnvValue> env;
  const Node* map = service.find("env");
  if (map == nullptr) return env;
  for (const auto& entry : map->entries) {
    model::EnvValue value{entry.value.kind == NodeKind::kNull ? "" : entry.value.text,
                          entry.value.sensitive, "",
                          entry.value.sensitive ? entry.value.reference : std::string()};
    if (value.sensitive) value.fingerprint = secret_fingerprint(project, entry.key, value.value);
    env[entry.key] = std::move(value);
  }
  return env;
}

std::vector<model::PortBinding> ports_of(const Node& service) {
  std::vector<model::PortBinding> ports;
  const Node* list = service.find("ports");
  if (list == nullptr) return ports;
  for (const Node& item : list->items) {
    std::optional<model::PortMapping> port = model::parse_port(item.text);
    if (!port) continue;  // validation refused it already
    ports.push_back(model::PortBinding{std::string(port->host_ip), port->host_port,
                                       port->container_port, std::string(port->protocol)});
  }
  return ports;
}

model::Mount mount_of(const std::string& text) {
  model::Mount mount;
  std::size_t colon = text.find(':');
  mount.source = text.substr(0, colon);
  std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
  std::size_t option = rest.find(':');
  mount.target = rest.substr(0, option);
  mount.read_only = option != std::string::npos && rest.substr(option + 1) == "ro";
  bool path = mount.source.starts_with('/') || mount.source.starts_with('.') ||
              mount.source.starts_with('~');
  mount.kind = path ? model::MountKind::kBind : model::MountKind::kVolume;
  return mount;
}

std::optional<model::HealthCheck> healthcheck_of(const Node& service) {
  const Node* node = service.find("healthcheck");
  if (node == nullptr || !node->is_map()) return std::nullopt;
  model::HealthCheck check;
  const Node* test = node->find("test");
  if (test && test->kind == NodeKind::kSequence) check.test = strings_of(*test);
  if (test && test->kind == NodeKind::kString) check.test = {"CMD-SHELL", test->text};
  check.interval_ms = model::parse_duration_ms(text_at(*node, "interval")).value_or(0);
  check.timeout_ms = model::parse_duration_ms(text_at(*node, "timeout")).value_or(0);
  check.start_period_ms = model::parse_duration_ms(text_at(*node, "start_period")).value_or(0);
  check.retries = std::atoi(text_at(*node, "retries").c_str());
  return check;
}

model::InPlaceSettings in_place_of(const Node& service) {
  model::InPlaceSettings settings;
  if (const Node* resources = service.find("resources")) {
    std::string cpu = text_at(*resources, "cpu");
    if (!cpu.empty()) settings.cpus = std::strtod(cpu.c_str(), nullptr);
    std::string memory = text_at(*resources, "memory");
    if (!memory.empty()) settings.memory_bytes = model::parse_memory_bytes(memory);
  }
  std::string restart = text_at(service, "restart");
  if (!restart.empty()) settings.restart = restart;
  return settings;
}

/// The swarm's restart condition for `restart:`: a swarm has no unless-stopped (a task it
/// stops is gone), so always and unless-stopped both restart on any exit; Docker's "any"
/// when `restart:` is not written.
std::string restart_condition_of(const std::string& restart) {
  if (restart == "no") return "none";
  if (restart == "on-failure") return "on-failure";
  return "any";
}

/// `update:` or `rollback:` as the manager rolls tasks with it; Docker's defaults for what
/// is not written. `order` is read by the caller: update's is the service's update_order.
model::RolloutSettings rollout_of(const Node* node) {
  model::RolloutSettings rollout;
  if (node == nullptr || !node->is_map()) return rollout;
  if (std::string parallelism = text_at(*node, "parallelism"); !parallelism.empty())
    rollout.parallelism = std::atoi(parallelism.c_str());
  if (auto delay = model::parse_duration_ms(text_at(*node, "delay"))) rollout.delay_ms = *delay;
  if (std::string action = text_at(*node, "failure_action"); !action.empty())
    rollout.failure_action = action;
  if (auto monitor = model::parse_duration_ms(text_at(*node, "monitor")))
    rollout.monitor_ms = *monitor;
  if (std::string ratio = text_at(*node, "max_failure_ratio"); !ratio.empty())
    rollout.max_failure_ratio = std::strtod(ratio.c_str(), nullptr);
  return rollout;
}

model::SwarmMode swarm_mode_of(const std::string& text) {
  if (text == "global") return model::SwarmMode::kGlobal;
  if (text == "replicated-job") return model::SwarmMode::kReplicatedJob;
  return model::SwarmMode::kReplicated;
}

/// `deploy.placement`: constraints as written, each preference by the label it spreads over.
void placement_of(const Node& deploy, model::SwarmSettings& swarm) {
  const Node* placement = deploy.find("placement");
  if (placement == nullptr || !placement->is_map()) return;
  if (const Node* constraints = placement->find("constraints"))
    swarm.constraints = strings_of(*constraints);
  if (const Node* preferences = placement->find("preferences"))
    for (const Node& preference : preferences->items)
      if (preference.is_map()) swarm.preferences.push_back(text_at(preference, "spread"));
  if (std::string limit = text_at(*placement, "max_replicas_per_node"); !limit.empty())
    swarm.max_replicas_per_node = std::atoi(limit.c_str());
}

void reservations_of(const Node& service, model::SwarmSettings& swarm) {
  const Node* resources = service.find("resources");
  const Node* reservations = resources ? resources->find("reservations") : nullptr;
  if (reservations == nullptr || !reservations->is_map()) return;
  if (std::string cpu = text_at(*reservations, "cpu"); !cpu.empty())
    swarm.reserved_cpus = std::strtod(cpu.c_str(), nullptr);
  if (std::string memory = text_at(*reservations, "memory"); !memory.empty())
    swarm.reserved_memory_bytes = model::parse_memory_bytes(memory);
}

/// A service's swarm-only settings: `deploy:`, `update:` and `rollback:` (rollback's `order`
/// says whether it starts first), `resources.reservations` and `restart:` mapped.
model::SwarmSettings swarm_of(const Node& service) {
  model::SwarmSettings swarm;
  if (const Node* deploy = service.find("deploy"); deploy && deploy->is_map()) {
    swarm.mode = swarm_mode_of(text_at(*deploy, "mode"));
    placement_of(*deploy, swarm);
    if (std::string endpoint = text_at(*deploy, "endpoint_mode"); !endpoint.empty())
      swarm.endpoint_mode = endpoint;
  }
  swarm.restart_condition = restart_condition_of(text_at(service, "restart"));
  reservations_of(service, swarm);
  swarm.update = rollout_of(service.find("update"));
  const Node* rollback = service.find("rollback");
  swarm.rollback = rollout_of(rollback);
  swarm.rollback.start_first =
      rollback && rollback->is_map() && text_at(*rollback, "order") == "start-first";
  return swarm;
}

std::vector<model::Dependency> dependencies_of(const Node& service) {
  std::vector<model::Dependency> dependencies;
  const Node* node = service.find("depends_on");
  if (node == nullptr) return dependencies;
  for (const Node& item : node->items)
    dependencies.push_back({item.text, model::DependencyCondition::kStarted});
  for (const auto& entry : node->entries) {
    auto condition = entry.value.text == "healthy" ? model::DependencyCondition::kHealthy
                     : entry.value.text == "completed_successfully"
                         ? model::DependencyCondition::kCompletedSuccessfully
                         : model::DependencyCondition::kStarted;
    dependencies.push_back({entry.key, condition});
  }
  std::sort(dependencies.begin(), dependencies.end(),
            [](const auto& a, const auto& b) { return a.service < b.service; });
  return dependencies;
}

/// `image` without its tag ("tsp/app:1.4" -> "tsp/app"; a registry's port is not a tag).
std::string repository_of(const std::string& image) {
  std::size_t slash = image.rfind('/');
  std::size_t colon = image.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return image;
  return image.substr(0, colon);
}

std::optional<model::BuildSpec> build_of(const std::string& name, const Node& service,
                                         const std::string& project) {
  const Node* node = service.find("build");
  if (node == nullptr || !node->is_map()) return std::nullopt;
  model::BuildSpec build;
  build.context = text_at(*node, "context");
  if (const Node* context = node->find("context")) build.location = context->location;
  if (std::string dockerfile = text_at(*node, "dockerfile"); !dockerfile.empty())
    build.dockerfile = dockerfile;
  build.args = string_map(node->find("args"));
  build.target = text_at(*node, "target");
  build.labels = string_map(node->find("labels"));
  std::string image = text_at(service, "image");
  build.repository = image.empty() ? project + "/" + name : repository_of(image);
  return build;
}

model::ServiceSpec service_of(const std::string& name, const Node& service,
                              const std::string& project, model::DeployTarget target) {
  model::ServiceSpec spec;
  spec.name = name;
  spec.image = text_at(service, "image");
  spec.build = build_of(name, service, project);
  if (spec.build) spec.image = spec.build->repository;  // tagged once the context is read
  spec.command = command_at(service, "command");
  spec.entrypoint = command_at(service, "entrypoint");
  spec.env = env_of(service, project);
  spec.ports = ports_of(service);
  if (const Node* volumes = service.find("volumes"))
    for (const Node& item : volumes->items) spec.volumes.push_back(mount_of(item.text));
  if (const Node* networks = service.find("networks")) spec.networks = strings_of(*networks);
  spec.labels = string_map(service.find("labels"));
  spec.healthcheck = healthcheck_of(service);
  if (const Node* init = service.find("init")) spec.init = model::is_true_literal(init->text);
  spec.user = text_at(service, "user");
  spec.working_dir = text_at(service, "working_dir");
  spec.stop_signal = text_at(service, "stop_signal");
  if (std::string grace = text_at(service, "stop_grace_period"); !grace.empty())
    spec.stop_grace_period_ms = model::parse_duration_ms(grace);
  spec.in_place = in_place_of(service);
  if (std::string replicas = text_at(service, "replicas"); !replicas.empty())
    spec.replicas = std::atoi(replicas.c_str());
  spec.depends_on = dependencies_of(service);
  if (const Node* update = service.find("update");
      update && text_at(*update, "order") == "start-first")
    spec.update_order = model::UpdateOrder::kStartFirst;
  // Left default on containers, which never read it: their records then have no swarm member.
  if (target == model::DeployTarget::kSwarm) spec.swarm = swarm_of(service);
  spec.config_hash = service_config_hash(spec);  // never covers spec.swarm
  return spec;
}

std::vector<model::NetworkSpec> networks_of(const Node& root) {
  std::vector<model::NetworkSpec> networks{{model::kDefaultNetwork, false, {}}};
  const Node* map = root.find("networks");
  if (map == nullptr) return networks;
  for (const auto& entry : map->entries) {
    bool internal =
        entry.value.is_map() && model::is_true_literal(text_at(entry.value, "internal"));
    networks.push_back({entry.key, internal,
                        string_map(entry.value.is_map() ? entry.value.find("labels") : nullptr)});
  }
  std::sort(networks.begin() + 1, networks.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return networks;
}

std::vector<model::VolumeSpec> volumes_of(const Node& root) {
  std::vector<model::VolumeSpec> volumes;
  const Node* map = root.find("volumes");
  if (map == nullptr) return volumes;
  for (const auto& entry : map->entries) {
    volumes.push_back(
        {entry.key, string_map(entry.value.is_map() ? entry.value.find("labels") : nullptr)});
  }
  std::sort(volumes.begin(), volumes.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return volumes;
}

model::TaskWhen task_when(const std::string& text) {
  if (text == "pre-deploy") return model::TaskWhen::kPreDeploy;
  if (text == "post-deploy") return model::TaskWhen::kPostDeploy;
  return model::TaskWhen::kManual;
}

model::TaskSpec task_of(const std::string& name, const Node& task, const std::string& project) {
  model::TaskSpec spec;
  spec.name = name;
  spec.service = text_at(task, "service");
  spec.image = text_at(task, "image");
  spec.command = command_at(task, "command").value_or(std::vector<std::string>{});
  spec.user = text_at(task, "user");
  spec.env = env_of(task, project);
  if (const Node* volumes = task.find("volumes"))
    for (const Node& item : volumes->items) spec.volumes.push_back(mount_of(item.text));
  if (std::string timeout = text_at(task, "timeout"); !timeout.empty())
    spec.timeout_ms = model::parse_duration_ms(timeout);
  spec.when = task_when(text_at(task, "when"));
  if (const Node* paths = task.find("run_if_changed")) spec.run_if_changed = strings_of(*paths);
  return spec;
}

std::vector<model::TaskSpec> tasks_of(const Node& root, const std::string& project) {
  std::vector<model::TaskSpec> tasks;
  const Node* map = root.find("tasks");
  if (map == nullptr) return tasks;
  for (const auto& entry : map->entries)
    if (entry.value.is_map()) tasks.push_back(task_of(entry.key, entry.value, project));
  std::sort(tasks.begin(), tasks.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return tasks;
}

}  // namespace

std::string service_config_hash(const model::ServiceSpec& spec) {
  return sha256_hex(model::canonical_text(model::recreate_fields(spec, model::SecretForm::kValue)));
}

/// `engine:` of one environment's entry, as written (paths relative to the project).
std::optional<model::EngineSpec> engine_of(const Node& environment) {
  const Node* engine = environment.find("engine");
  if (engine == nullptr || !engine->is_map()) return std::nullopt;
  model::EngineSpec spec;
  spec.host = text_at(*engine, "host");
  spec.context = text_at(*engine, "context");
  if (const Node* tls = engine->find("tls"); tls && tls->is_map())
    spec.tls = model::EngineTls{text_at(*tls, "ca"), text_at(*tls, "cert"), text_at(*tls, "key")};
  return spec;
}

model::DesiredState build_desired_state(const LoadedConfig& config) {
  model::DesiredState state;
  state.project = text_at(config.merged, "project");
  state.environment = config.environment;
  state.target = deploy_target_of(config.merged, state.environment);
  if (const Node* services = config.merged.find("services")) {
    for (const auto& entry : services->entries) {
      state.services.push_back(service_of(entry.key, entry.value, state.project, state.target));
    }
  }
  std::sort(state.services.begin(), state.services.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  state.networks = networks_of(config.merged);
  state.volumes = volumes_of(config.merged);
  state.tasks = tasks_of(config.merged, state.project);
  if (const Node* environments = config.merged.find("environments")) {
    const Node* environment = environments->find(state.environment);
    state.protected_environment = environment && environment->is_map() &&
                                  model::is_true_literal(text_at(*environment, "protected"));
    if (environment && environment->is_map()) state.engine = engine_of(*environment);
  }
  return state;
}

}  // namespace run::config
