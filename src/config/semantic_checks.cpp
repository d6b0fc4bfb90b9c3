#include "config/semantic_checks.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "config/json_convert.h"
#include "core/did_you_mean.h"
#include "model/units.h"

namespace run::config {

namespace {

using model::MapEntry;
using model::Node;
using model::NodeKind;

constexpr std::size_t kMaxServiceName = 63;
constexpr std::size_t kMaxProjectName = 40;

class Checker {
 public:
  Checker(const Node& root, Diagnostics& out) : root_(root), out_(out) {}

  void run() {
    check_name_of("project", kMaxProjectName);
    check_section_names("services", kMaxServiceName);
    check_section_names("environments", kMaxProjectName);
    check_section_names("volumes", kMaxServiceName);
    check_section_names("networks", kMaxServiceName);
    check_default_environment();
    for (const MapEntry& service : section("services")) check_service(service);
    check_dependency_cycles();
    check_host_ports();
  }

 private:
  const std::vector<MapEntry>& section(std::string_view name) const {
    static const std::vector<MapEntry> kNone;
    const Node* node = root_.find(name);
    return node && node->is_map() ? node->entries : kNone;
  }

  std::vector<std::string> names_in(std::string_view name) const {
    std::vector<std::string> names;
    for (const MapEntry& entry : section(name))
      if (!is_extension_key(entry.key)) names.push_back(entry.key);
    return names;
  }

  void error(const SourceLocation& where, std::string path, std::string message, std::string hint = {}) {
    out_.push_back(make_error(where, std::move(path), std::move(message), std::move(hint)));
  }

  void check_name_of(std::string_view key, std::size_t max_length) {
    const Node* value = root_.find(key);
    if (value == nullptr || value->kind != NodeKind::kString || is_valid_name(value->text, max_length)) return;
    error(value->location, std::string(key), "invalid " + std::string(key) + " name " + model::describe_value(*value),
          name_rule(max_length));
  }

  static std::string name_rule(std::size_t max_length) {
    return "use lower-case letters, digits, '-' and '_', starting with a letter or digit, at most " +
           std::to_string(max_length) + " characters";
  }

  void check_section_names(std::string_view name, std::size_t max_length) {
    for (const MapEntry& entry : section(name)) {
      if (is_extension_key(entry.key) || is_valid_name(entry.key, max_length)) continue;
      std::string shown = entry.key.size() > 40 ? entry.key.substr(0, 40) + "..." : entry.key;
      error(entry.key_location, std::string(name) + "." + shown, "invalid name '" + shown + "'", name_rule(max_length));
    }
  }

  void check_default_environment() {
    const Node* value = root_.find("default_environment");
    if (value == nullptr || value->kind != NodeKind::kString) return;
    std::vector<std::string> declared = names_in("environments");
    if (std::find(declared.begin(), declared.end(), value->text) != declared.end()) return;
    error(value->location, "default_environment", "environment '" + value->text + "' is not declared in 'environments'",
          did_you_mean(value->text, declared));
  }

  void check_service(const MapEntry& service) {
    if (is_extension_key(service.key) || !service.value.is_map()) return;
    std::string path = "services." + service.key;
    check_depends_on(service, path);
    check_list(service.value, path, "volumes", [&](const Node& item, const std::string& at) { check_mount(item, at); });
    check_list(service.value, path, "networks", [&](const Node& item, const std::string& at) { check_reference(item, at, "networks"); });
    check_list(service.value, path, "ports", [&](const Node& item, const std::string& at) { check_port(item, at); });
    check_durations(service.value, path);
    check_memory(service.value, path);
  }

  template <class Check>
  void check_list(const Node& service, const std::string& path, std::string_view key, Check check) {
    const Node* list = service.find(key);
    if (list == nullptr || list->kind != NodeKind::kSequence) return;
    for (std::size_t i = 0; i < list->items.size(); ++i)
      check(list->items[i], path + "." + std::string(key) + "[" + std::to_string(i) + "]");
  }

  /// The names a service depends on, with where each is written.
  static std::vector<std::pair<std::string, SourceLocation>> dependencies(const Node& service) {
    std::vector<std::pair<std::string, SourceLocation>> names;
    const Node* depends_on = service.find("depends_on");
    if (depends_on == nullptr) return names;
    for (const Node& item : depends_on->items) names.emplace_back(item.text, item.location);
    for (const MapEntry& entry : depends_on->entries) names.emplace_back(entry.key, entry.key_location);
    return names;
  }

  void check_depends_on(const MapEntry& service, const std::string& path) {
    std::vector<std::string> services = names_in("services");
    for (const auto& [name, where] : dependencies(service.value)) {
      std::string at = path + ".depends_on." + name;
      if (name == service.key) {
        error(where, at, "service '" + name + "' depends on itself");
        continue;
      }
      if (std::find(services.begin(), services.end(), name) != services.end()) continue;
      error(where, at, "depends on '" + name + "', which is not a service", did_you_mean(name, services));
    }
  }

  void check_reference(const Node& item, const std::string& at, std::string_view section_name) {
    if (item.kind != NodeKind::kString) return;
    std::vector<std::string> declared = names_in(section_name);
    if (std::find(declared.begin(), declared.end(), item.text) != declared.end()) return;
    std::string hint = did_you_mean(item.text, declared);
    if (hint.empty()) hint = "declare it under '" + std::string(section_name) + ":' at the top level";
    error(item.location, at, std::string(section_name == "networks" ? "network" : "volume") + " '" + item.text + "' is not declared", hint);
  }

  // "NAME:/path[:ro]" names a volume that must be declared; "/host:/path" and "./dir:/path"
  // are bind mounts.
  void check_mount(const Node& item, const std::string& at) {
    if (item.kind != NodeKind::kString) return;
    std::size_t colon = item.text.find(':');
    std::string_view source = std::string_view(item.text).substr(0, colon);
    std::string_view target = colon == std::string::npos ? "" : std::string_view(item.text).substr(colon + 1);
    if (colon == std::string::npos || source.empty() || !target.starts_with('/')) {
      error(item.location, at, "invalid mount " + model::describe_value(item),
            "write VOLUME:/path, /host/path:/path or ./dir:/path, with :ro for read-only");
      return;
    }
    if (source.starts_with('/') || source.starts_with('.') || source.starts_with('~')) return;
    Node name = item;
    name.text = std::string(source);
    check_reference(name, at, "volumes");
  }

  void check_port(const Node& item, const std::string& at) {
    if (item.kind != NodeKind::kString || model::parse_port(item.text)) return;
    error(item.location, at, "invalid port " + model::describe_value(item),
          "write HOST_PORT:CONTAINER_PORT, IP:HOST_PORT:CONTAINER_PORT or CONTAINER_PORT, with /udp if needed");
  }

  void check_duration(const Node* value, const std::string& at) {
    if (value == nullptr || value->kind != NodeKind::kString || model::parse_duration_ms(value->text)) return;
    error(value->location, at, "invalid duration " + model::describe_value(*value), "write e.g. 500ms, 10s, 1m30s or 2h");
  }

  void check_durations(const Node& service, const std::string& path) {
    check_duration(service.find("stop_grace_period"), path + ".stop_grace_period");
    const Node* healthcheck = service.find("healthcheck");
    if (healthcheck == nullptr) return;
    for (const char* key : {"interval", "timeout", "start_period"})
      check_duration(healthcheck->find(key), path + ".healthcheck." + key);
  }

  void check_memory(const Node& service, const std::string& path) {
    const Node* resources = service.find("resources");
    const Node* memory = resources ? resources->find("memory") : nullptr;
    if (memory == nullptr || !memory->is_scalar() || model::parse_memory_bytes(memory->text)) return;
    error(memory->location, path + ".resources.memory", "invalid memory size " + model::describe_value(*memory),
          "write e.g. 512M, 1G or a number of bytes");
  }

  void check_dependency_cycles() {
    std::map<std::string, std::vector<std::pair<std::string, SourceLocation>>> graph;
    for (const MapEntry& service : section("services"))
      if (service.value.is_map()) graph[service.key] = dependencies(service.value);
    std::map<std::string, int> state;  // 0 unvisited, 1 on the path, 2 done
    std::vector<std::string> path;
    std::function<void(const std::string&)> visit = [&](const std::string& name) {
      state[name] = 1;
      path.push_back(name);
      for (const auto& [next, where] : graph[name]) {
        if (!graph.count(next) || next == name) continue;
        if (state[next] == 1) report_cycle(path, next, where);
        if (state[next] == 0) visit(next);
      }
      path.pop_back();
      state[name] = 2;
    };
    for (const auto& [name, edges] : graph)
      if (state[name] == 0) visit(name);
  }

  void report_cycle(const std::vector<std::string>& path, const std::string& back_to, const SourceLocation& where) {
    auto start = std::find(path.begin(), path.end(), back_to);
    std::string cycle;
    for (auto it = start; it != path.end(); ++it) cycle += *it + " -> ";
    cycle += back_to;
    error(where, "services." + path.back() + ".depends_on", "dependency cycle: " + cycle,
          "remove one of these depends_on entries");
  }

  // Two services (or two replicas) cannot bind the same host port on one machine.
  void check_host_ports() {
    std::map<std::string, std::pair<std::string, SourceLocation>> first_use;
    for (const MapEntry& service : section("services")) {
      const Node* ports = service.value.is_map() ? service.value.find("ports") : nullptr;
      if (ports == nullptr) continue;
      for (const Node& item : ports->items) check_host_port(service, item, first_use);
    }
  }

  void check_host_port(const MapEntry& service, const Node& item,
                       std::map<std::string, std::pair<std::string, SourceLocation>>& first_use) {
    std::optional<model::PortMapping> port = model::parse_port(item.text);
    if (!port || port->host_port == 0) return;
    std::string key = std::to_string(port->host_port) + "/" + std::string(port->protocol);
    std::string path = "services." + service.key + ".ports";
    auto [it, inserted] = first_use.emplace(key, std::make_pair(service.key, item.location));
    if (!inserted) {
      error(item.location, path, "host port " + key + " is already published by service '" + it->second.first + "'",
            "at " + it->second.second.to_string() + "; choose another host port");
      return;
    }
    const Node* replicas = service.value.find("replicas");
    if (replicas && replicas->kind == NodeKind::kInt && replicas->text != "0" && replicas->text != "1")
      error(item.location, path, "host port " + key + " is published by " + replicas->text + " replicas of '" + service.key + "'",
            "only one container can bind a host port; publish the container port only (\"" +
                std::to_string(port->container_port) + "\") or use replicas: 1");
  }

  const Node& root_;
  Diagnostics& out_;
};

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; }

}  // namespace

bool is_valid_name(std::string_view name, std::size_t max_length) {
  if (name.empty() || name.size() > max_length) return false;
  if (name[0] == '-' || name[0] == '_') return false;
  return std::all_of(name.begin(), name.end(), is_name_char);
}

Diagnostics check_semantics(const Node& root) {
  Diagnostics diagnostics;
  Checker(root, diagnostics).run();
  return diagnostics;
}

}  // namespace run::config
