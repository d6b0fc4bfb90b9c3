#include "config/target_checks.h"

#include <array>
#include <optional>

#include "model/units.h"

namespace run::config {

namespace {

using model::MapEntry;
using model::Node;
using model::NodeKind;

/// The keys of `update:` a container target has no use for: the manager of a swarm rolls
/// tasks with them; on containers only `order` says anything.
constexpr std::array<std::string_view, 5> kSwarmOnlyUpdateKeys{
    "parallelism", "delay", "failure_action", "monitor", "max_failure_ratio"};

bool is_relative_source(std::string_view source) {
  return source.starts_with('.') || source.starts_with('~');
}

class TargetChecker {
 public:
  TargetChecker(const Node& service, const std::string& path, const TargetOfEnvironment& target,
                Diagnostics& out)
      : service_(service), path_(path), target_(target), out_(out) {}

  void check_for_containers() {
    swarm_only(service_.find_entry("deploy"), "deploy");
    swarm_only(service_.find_entry("rollback"), "rollback");
    if (const Node* update = map_at(service_, "update"))
      for (std::string_view key : kSwarmOnlyUpdateKeys)
        swarm_only(update->find_entry(key), "update." + std::string(key));
    if (const Node* resources = map_at(service_, "resources"))
      swarm_only(resources->find_entry("reservations"), "resources.reservations");
  }

  void check_for_swarm() {
    check_no_depends_on();
    check_no_build();
    if (const Node* ports = service_.find("ports"))
      for (std::size_t i = 0; i < ports->items.size(); ++i) check_port(ports->items[i], i);
    if (const Node* volumes = service_.find("volumes"))
      for (std::size_t i = 0; i < volumes->items.size(); ++i) check_mount(volumes->items[i], i);
    check_global_mode();
  }

 private:
  static const Node* map_at(const Node& map, std::string_view key) {
    const Node* node = map.find(key);
    return node && node->is_map() ? node : nullptr;
  }

  void error(const SourceLocation& where, const std::string& key, std::string message,
             std::string hint) {
    out_.push_back(make_error(where, path_ + "." + key, std::move(message), std::move(hint)));
  }

  /// The environment's overlay, where a key for one environment only belongs.
  std::string overlay() const { return "environments/" + target_.environment + ".yaml"; }

  void swarm_only(const MapEntry* entry, const std::string& key) {
    if (entry == nullptr) return;
    error(entry->key_location, key,
          "'" + key + "' only has a meaning on a swarm target (environments." +
              target_.environment + ".target: swarm)",
          "environment '" + target_.environment +
              "' deploys containers: remove it, or write it in the overlay of a swarm "
              "environment (environments/NAME.yaml)");
  }

  /// A built image exists on the engine that built it: the swarm's other nodes could not run
  /// it, and run pushes to no registry.
  void check_no_build() {
    const MapEntry* build = service_.find_entry("build");
    if (build == nullptr || build->value.kind == NodeKind::kNull) return;
    error(build->key_location, "build",
          "a swarm's nodes cannot run an image built on one engine: run builds, it does not push",
          "build and push the image to a registry the nodes reach, and name it in image:");
  }

  void check_no_depends_on() {
    const MapEntry* depends_on = service_.find_entry("depends_on");
    // An empty one asks for nothing: an overlay may clear the base's so (lists are replaced).
    if (depends_on == nullptr ||
        (depends_on->value.items.empty() && depends_on->value.entries.empty()))
      return;
    error(depends_on->key_location, "depends_on",
          "a swarm has no start order: depends_on cannot be honoured on environment '" +
              target_.environment +
              "' (target: swarm); a health check and the manager's restarts take its place",
          "remove it for this environment (depends_on: null in " + overlay() + ")");
  }

  void check_port(const Node& item, std::size_t index) {
    if (item.kind != NodeKind::kString) return;
    std::optional<model::PortMapping> port = model::parse_port(item.text);
    if (!port || port->host_ip.empty()) return;
    std::string ports = std::to_string(port->host_port) + ":" +
                        std::to_string(port->container_port) +
                        (port->protocol == "tcp" ? "" : "/" + std::string(port->protocol));
    error(item.location, "ports[" + std::to_string(index) + "]",
          "port " + model::describe_value(item) +
              " names a host IP, which a swarm cannot honour: it publishes a port on every "
              "address of the node",
          item.sensitive ? "write HOST_PORT:CONTAINER_PORT, without the IP"
                         : "write \"" + ports + "\", and keep other hosts out with a firewall");
  }

  void check_mount(const Node& item, std::size_t index) {
    if (item.kind != NodeKind::kString) return;
    std::string_view source = std::string_view(item.text).substr(0, item.text.find(':'));
    if (!is_relative_source(source)) return;
    error(item.location, "volumes[" + std::to_string(index) + "]",
          "bind mount " + model::describe_value(item) +
              " has a relative source: on a swarm the path would be read on whichever node "
              "runs the task",
          "write an absolute path that exists on those nodes (/srv/data:/data), or use a "
          "named volume");
  }

  /// A global service runs one task on each node: a count of tasks means nothing to it.
  void check_global_mode() {
    const Node* deploy = map_at(service_, "deploy");
    const Node* mode = deploy ? deploy->find("mode") : nullptr;
    if (mode == nullptr || mode->text != "global") return;
    if (const MapEntry* replicas = service_.find_entry("replicas"))
      error(
          replicas->key_location, "replicas",
          "a global service runs one task on every node: replicas has no meaning with "
          "deploy.mode: global",
          "remove replicas (replicas: null in " + overlay() + "), or use deploy.mode: replicated");
    const Node* placement = map_at(*deploy, "placement");
    if (const MapEntry* limit =
            placement ? placement->find_entry("max_replicas_per_node") : nullptr)
      error(limit->key_location, "deploy.placement.max_replicas_per_node",
            "a global service runs one task on every node: max_replicas_per_node has no meaning "
            "with deploy.mode: global",
            "remove it, or use deploy.mode: replicated");
  }

  const Node& service_;
  const std::string& path_;
  const TargetOfEnvironment& target_;
  Diagnostics& out_;
};

}  // namespace

void check_task_target(const MapEntry& task, const std::string& path,
                       const TargetOfEnvironment& target, Diagnostics& out) {
  if (target.target != model::DeployTarget::kSwarm || !task.value.is_map()) return;
  const MapEntry* when = task.value.find_entry("when");
  if (when == nullptr || when->value.text == "manual") return;
  out.push_back(make_error(
      when->value.location, path + ".when",
      "a " + when->value.text + " hook runs a one-off container on one engine, and environment '" +
          target.environment + "' deploys to a swarm, whose tasks run on its nodes",
      "hooks do not run on a swarm target: run the step as a service with deploy.mode: "
      "replicated-job, or keep the hook for container environments (when: manual in "
      "environments/" +
          target.environment + ".yaml)"));
}

void check_service_target(const MapEntry& service, const std::string& path,
                          const TargetOfEnvironment& target, Diagnostics& out) {
  if (!service.value.is_map()) return;
  TargetChecker checker(service.value, path, target, out);
  if (target.target == model::DeployTarget::kSwarm) return checker.check_for_swarm();
  checker.check_for_containers();
}

}  // namespace run::config
