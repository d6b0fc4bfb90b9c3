#include "config/semantic_checks.h"

#include <algorithm>
#include <map>
#include <set>

#include "config/deploy_target.h"
#include "config/target_checks.h"
#include "core/did_you_mean.h"
#include "model/units.h"
#include "plan/promote_fields.h"

namespace run::config {

namespace {

using model::MapEntry;
using model::Node;
using model::NodeKind;

constexpr std::size_t kMaxServiceName = 63;
constexpr std::size_t kMaxProjectName = 40;
constexpr std::size_t kMaxShownName = 40;

/// A service a depends_on entry names, and where.
struct Dependency {
  std::string name;
  SourceLocation where;
  bool sensitive = false;  ///< the name came from a secret: never show it
};

/// The names of one top-level section: in file order for suggestions, and for lookup.
struct DeclaredNames {
  std::vector<std::string> in_order;
  std::set<std::string, std::less<>> lookup;

  bool contains(std::string_view name) const { return lookup.find(name) != lookup.end(); }
};

/// A name as shown in a message: a key may be as long as the file allows.
std::string cut(const std::string& name) {
  return name.size() > kMaxShownName ? name.substr(0, kMaxShownName) + "..." : name;
}

class Checker {
 public:
  Checker(const Node& root, std::string_view environment, Diagnostics& out)
      : root_(root),
        target_{std::string(environment), deploy_target_of(root, environment)},
        out_(out) {}

  void run() {
    check_name_of("project", kMaxProjectName);
    check_section_names("services", kMaxServiceName);
    check_section_names("environments", kMaxProjectName);
    check_section_names("volumes", kMaxServiceName);
    check_section_names("networks", kMaxServiceName);
    check_section_names("tasks", kMaxServiceName);
    check_default_environment();
    for (const MapEntry& service : section("services")) check_service(service);
    for (const MapEntry& task : section("tasks")) check_task(task);
    for (const MapEntry& environment : section("environments")) check_engine(environment);
    check_dependency_cycles();
    check_host_ports();
    plan::check_promote_list(root_, out_);
  }

 private:
  const std::vector<MapEntry>& section(std::string_view name) const {
    static const std::vector<MapEntry> kNone;
    const Node* node = root_.find(name);
    return node && node->is_map() ? node->entries : kNone;
  }

  /// The names a top-level section declares, gathered once: the checks ask for each
  /// service, and a file may hold tens of thousands of them.
  const DeclaredNames& names_in(std::string_view name) {
    auto it = declared_.find(name);
    if (it != declared_.end()) return it->second;
    DeclaredNames names;
    for (const MapEntry& entry : section(name)) {
      names.in_order.push_back(entry.key);
      names.lookup.insert(entry.key);
    }
    return declared_.emplace(std::string(name), std::move(names)).first->second;
  }

  void error(const SourceLocation& where, std::string path, std::string message,
             std::string hint = {}) {
    out_.push_back(make_error(where, std::move(path), std::move(message), std::move(hint)));
  }

  void check_name_of(std::string_view key, std::size_t max_length) {
    const Node* value = root_.find(key);
    if (value == nullptr || value->kind != NodeKind::kString ||
        is_valid_name(value->text, max_length))
      return;
    error(value->location, std::string(key),
          "invalid " + std::string(key) + " name " + model::describe_value(*value),
          name_rule(max_length));
  }

  static std::string name_rule(std::size_t max_length) {
    return "use lower-case letters, digits, '-' and '_', starting with a letter or digit, at "
           "most " +
           std::to_string(max_length) + " characters";
  }

  void check_section_names(std::string_view name, std::size_t max_length) {
    for (const MapEntry& entry : section(name)) {
      if (is_valid_name(entry.key, max_length)) continue;
      std::string shown = cut(entry.key);
      error(entry.key_location, std::string(name) + "." + shown, "invalid name '" + shown + "'",
            name_rule(max_length));
    }
  }

  void check_default_environment() {
    const Node* value = root_.find("default_environment");
    if (value == nullptr || value->kind != NodeKind::kString) return;
    const DeclaredNames& declared = names_in("environments");
    if (declared.contains(value->text)) return;
    error(value->location, "default_environment",
          "environment '" + value->text + "' is not declared in 'environments'",
          did_you_mean(value->text, declared.in_order));
  }

  void check_service(const MapEntry& service) {
    if (!service.value.is_map()) return;
    std::string path = "services." + cut(service.key);
    check_depends_on(service, path);
    check_labels(service.value, path);
    check_list(service.value, path, "volumes",
               [&](const Node& item, const std::string& at) { check_mount(item, at); });
    check_list(service.value, path, "networks", [&](const Node& item, const std::string& at) {
      check_reference(item, at, "networks");
    });
    check_list(service.value, path, "ports",
               [&](const Node& item, const std::string& at) { check_port(item, at); });
    check_durations(service.value, path);
    check_memory(service.value, path);
    check_image_or_build(service, path);
    check_service_target(service, path, target_, out_);
  }

  void check_task(const MapEntry& task) {
    if (!task.value.is_map()) return;
    std::string path = "tasks." + cut(task.key);
    check_task_target(task, path, target_, out_);
    const Node* service = task.value.find("service");
    if (service && service->kind == NodeKind::kString) {
      const DeclaredNames& services = names_in("services");
      if (!services.contains(service->text))
        error(service->location, path + ".service",
              "task '" + cut(task.key) + "' runs in service " + model::describe_value(*service) +
                  ", which is not declared",
              service->sensitive ? std::string()
                                 : did_you_mean_or_declared(service->text, services.in_order));
    }
    if (service == nullptr && task.value.find("image") == nullptr)
      error(task.key_location, path,
            "task '" + cut(task.key) + "' has neither 'service' nor 'image'",
            "name the service whose image, env and volumes it uses (service: db), or an image "
            "(image: postgres:16)");
    check_list(task.value, path, "volumes",
               [&](const Node& item, const std::string& at) { check_mount(item, at); });
    check_duration(task.value.find("timeout"), path + ".timeout");
    check_list(task.value, path, "run_if_changed",
               [&](const Node& item, const std::string& at) { check_changed_path(item, at); });
  }

  /// An engine is a host or a context, never both; TLS goes with a tcp:// host only.
  void check_engine(const MapEntry& environment) {
    if (!environment.value.is_map()) return;
    const Node* engine = environment.value.find("engine");
    if (engine == nullptr || !engine->is_map()) return;
    std::string path = "environments." + cut(environment.key) + ".engine";
    const Node* host = engine->find("host");
    const Node* context = engine->find("context");
    const Node* tls = engine->find("tls");
    if (host && context)
      error(context->location, path + ".context",
            "environment '" + cut(environment.key) + "' names both an engine host and a context",
            "keep one: host: tcp://10.0.0.5:2376 (with tls:) or context: NAME");
    else if (!host && !context)
      error(engine->location, path,
            "environment '" + cut(environment.key) +
                "' has an engine "
                "with neither host nor context",
            "name one: host: tcp://10.0.0.5:2376, host: ssh://deploy@host or context: NAME");
    if (tls && !(host && host->kind == NodeKind::kString && host->text.starts_with("tcp://")))
      error(tls->location, path + ".tls", "tls: applies to a tcp:// engine host only",
            context ? "a context keeps its own TLS files (docker context create --docker ...)"
                    : "write host: tcp://HOST:2376, or remove tls:");
  }

  /// A run_if_changed path must name something of the rendered config: `services.S` and
  /// below it what the (merged) service writes, or `image`, which every service has.
  void check_changed_path(const Node& item, const std::string& at) {
    if (item.kind != NodeKind::kString) return;
    std::vector<std::string> steps = split_path(item.text);
    std::string shown = "'" + cut(item.text) + "'";
    if (steps.size() < 2 || steps[0] != "services") {
      error(item.location, at, "run_if_changed path " + shown + " does not name a service",
            "write services.NAME or services.NAME.FIELD, e.g. services.app.image");
      return;
    }
    const Node* services = root_.find("services");
    const Node* node = services ? services->find(steps[1]) : nullptr;
    if (node == nullptr) {
      error(item.location, at,
            "run_if_changed path " + shown + " names service '" + cut(steps[1]) +
                "', which is not declared",
            did_you_mean_or_declared(steps[1], names_in("services").in_order));
      return;
    }
    if (steps.size() >= 3 && steps[2] == "image") return;  // a built service's too
    for (std::size_t i = 2; i < steps.size(); ++i) {
      const Node* next = node->is_map() ? node->find(steps[i]) : nullptr;
      if (next != nullptr) {
        node = next;
        continue;
      }
      std::vector<std::string> keys;
      if (node->is_map())
        for (const MapEntry& entry : node->entries) keys.push_back(entry.key);
      if (i == 2) keys.push_back("image");
      error(item.location, at, "run_if_changed path " + shown + " is not in the rendered config",
            did_you_mean(steps[i], keys).empty()
                ? "'run render' shows the rendered config; paths are like services.app.image"
                : did_you_mean(steps[i], keys));
      return;
    }
  }

  /// "services.app.env.LOG_LEVEL" -> its steps; "ports[0]" stays one step, its index ignored.
  static std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> steps;
    for (std::size_t start = 0; start <= path.size();) {
      std::size_t end = std::min(path.find('.', start), path.size());
      std::string step = path.substr(start, end - start);
      steps.push_back(step.substr(0, step.find('[')));
      start = end + 1;
    }
    return steps;
  }

  void check_image_or_build(const MapEntry& service, const std::string& path) {
    const Node* build = service.value.find("build");
    if (build == nullptr || build->kind == NodeKind::kNull) {
      if (service.value.find("image") == nullptr)
        error(service.key_location, path,
              "service '" + cut(service.key) + "' has neither 'image' nor 'build'",
              "name an image (image: postgres:16) or a directory to build it from (build: { "
              "context: ./app })");
      return;
    }
    if (!build->is_map()) return;
    check_build_context(*build, path + ".build");
    if (const Node* args = build->find("args"))
      for (const MapEntry& arg : args->entries)
        if (arg.value.sensitive)
          error(arg.value.location, path + ".build.args." + arg.key,
                "build arg '" + arg.key + "' holds a secret",
                "build args are readable in the image's history (docker history); pass the "
                "secret to the container instead, in env:");
  }

  /// The context must stay inside the project; where it leads through symbolic links is
  /// checked when it is read (app/build_resolution.h), since that needs the filesystem.
  void check_build_context(const Node& build, const std::string& path) {
    const Node* context = build.find("context");
    if (context == nullptr || context->kind != NodeKind::kString) return;
    std::string text = context->text;
    bool absolute = text.starts_with('/');
    int depth = 0;
    bool escapes = false;
    for (std::size_t start = 0; start <= text.size();) {
      std::size_t end = std::min(text.find('/', start), text.size());
      std::string_view step = std::string_view(text).substr(start, end - start);
      if (step == "..")
        escapes = escapes || --depth < 0;
      else if (!step.empty() && step != ".")
        ++depth;
      start = end + 1;
    }
    if (!absolute && !escapes) return;
    error(context->location, path + ".context",
          "build context '" + text + "' is outside the project",
          "the context is sent to Docker whole and its files are hashed: keep it in the "
          "project's directory, relative to run-config.yaml");
  }

  template <class Check>
  void check_list(const Node& service, const std::string& path, std::string_view key, Check check) {
    const Node* list = service.find(key);
    if (list == nullptr || list->kind != NodeKind::kSequence) return;
    for (std::size_t i = 0; i < list->items.size(); ++i)
      check(list->items[i], path + "." + std::string(key) + "[" + std::to_string(i) + "]");
  }

  /// The names a service depends on, with where each is written. A list item may hold a
  /// secret (`[${secret:X}]`); a map key never does, keys are not interpolated.
  static std::vector<Dependency> dependencies(const Node& service) {
    std::vector<Dependency> names;
    const Node* depends_on = service.find("depends_on");
    if (depends_on == nullptr) return names;
    for (const Node& item : depends_on->items)
      names.push_back(Dependency{item.text, item.location, item.sensitive});
    for (const MapEntry& entry : depends_on->entries)
      names.push_back(Dependency{entry.key, entry.key_location, false});
    return names;
  }

  void check_depends_on(const MapEntry& service, const std::string& path) {
    const DeclaredNames& services = names_in("services");
    for (const Dependency& dependency : dependencies(service.value)) {
      // A secret's value must not reach the message, the path or the hint.
      std::string shown = dependency.sensitive ? "(sensitive)" : "'" + cut(dependency.name) + "'";
      std::string at =
          path + ".depends_on" + (dependency.sensitive ? "" : "." + cut(dependency.name));
      if (dependency.name == service.key) {
        error(dependency.where, at, "service " + shown + " depends on itself");
        continue;
      }
      if (services.contains(dependency.name)) continue;
      error(
          dependency.where, at, "depends on " + shown + ", which is not a service",
          dependency.sensitive ? std::string() : did_you_mean(dependency.name, services.in_order));
    }
  }

  // run.* labels say who owns a container; a user's label must not forge or hide that.
  void check_labels(const Node& service, const std::string& path) {
    const Node* labels = service.find("labels");
    if (labels == nullptr) return;
    for (const MapEntry& entry : labels->entries) {
      if (!entry.key.starts_with("run.")) continue;
      error(entry.key_location, path + ".labels." + entry.key,
            "label '" + entry.key + "' is reserved",
            "labels starting with 'run.' are run's own (ownership, replica, config hash); choose "
            "another prefix");
    }
  }

  void check_reference(const Node& item, const std::string& at, std::string_view section_name) {
    if (item.kind != NodeKind::kString) return;
    const DeclaredNames& declared = names_in(section_name);
    if (declared.contains(item.text)) return;
    std::string hint = item.sensitive ? std::string() : did_you_mean(item.text, declared.in_order);
    if (hint.empty())
      hint = "declare it under '" + std::string(section_name) + ":' at the top level";
    error(item.location, at,
          std::string(section_name == "networks" ? "network " : "volume ") +
              model::describe_value(item) + " is not declared",
          hint);
  }

  // "NAME:/path[:ro]" names a volume that must be declared; "/host:/path" and "./dir:/path"
  // are bind mounts.
  void check_mount(const Node& item, const std::string& at) {
    if (item.kind != NodeKind::kString) return;
    std::size_t colon = item.text.find(':');
    std::string_view source = std::string_view(item.text).substr(0, colon);
    std::string_view target =
        colon == std::string::npos ? "" : std::string_view(item.text).substr(colon + 1);
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
          "write HOST_PORT:CONTAINER_PORT, IP:HOST_PORT:CONTAINER_PORT or CONTAINER_PORT, with "
          "/udp if needed");
  }

  void check_duration(const Node* value, const std::string& at) {
    if (value == nullptr || value->kind != NodeKind::kString ||
        model::parse_duration_ms(value->text))
      return;
    error(value->location, at, "invalid duration " + model::describe_value(*value),
          "write e.g. 500ms, 10s, 1m30s or 2h");
  }

  /// The durations under `section` (healthcheck, update, rollback) that `keys` name.
  void check_durations_in(const Node& service, const std::string& path, std::string_view section,
                          std::initializer_list<std::string_view> keys) {
    const Node* map = service.find(section);
    if (map == nullptr || !map->is_map()) return;
    for (std::string_view key : keys)
      check_duration(map->find(key), path + "." + std::string(section) + "." + std::string(key));
  }

  void check_durations(const Node& service, const std::string& path) {
    check_duration(service.find("stop_grace_period"), path + ".stop_grace_period");
    check_durations_in(service, path, "healthcheck", {"interval", "timeout", "start_period"});
    check_durations_in(service, path, "update", {"delay", "monitor"});
    check_durations_in(service, path, "rollback", {"delay", "monitor"});
  }

  void check_memory_size(const Node* memory, const std::string& at) {
    if (memory == nullptr || !memory->is_scalar() || model::parse_memory_bytes(memory->text))
      return;
    error(memory->location, at, "invalid memory size " + model::describe_value(*memory),
          "write e.g. 512M, 1G or a number of bytes");
  }

  /// The memory limit, and the reservation a swarm sets aside.
  void check_memory(const Node& service, const std::string& path) {
    const Node* resources = service.find("resources");
    if (resources == nullptr || !resources->is_map()) return;
    check_memory_size(resources->find("memory"), path + ".resources.memory");
    const Node* reservations = resources->find("reservations");
    if (reservations && reservations->is_map())
      check_memory_size(reservations->find("memory"), path + ".resources.reservations.memory");
  }

  using DependencyGraph = std::map<std::string, std::vector<Dependency>>;

  void check_dependency_cycles() {
    DependencyGraph graph;
    for (const MapEntry& service : section("services"))
      if (service.value.is_map()) graph[service.key] = dependencies(service.value);
    std::map<std::string, VisitState> state;
    for (const auto& [name, edges] : graph)
      if (state[name] == VisitState::kUnvisited) walk_dependencies(graph, name, state);
  }

  enum class VisitState { kUnvisited, kOnPath, kDone };

  // Depth first with a stack of our own: a chain of tens of thousands of services fits in
  // a file, and a recursive walk would overflow the call stack on it.
  void walk_dependencies(const DependencyGraph& graph, const std::string& start,
                         std::map<std::string, VisitState>& state) {
    struct Frame {
      const std::string* name;
      const std::vector<Dependency>* edges;
      std::size_t next_edge = 0;
    };
    std::vector<Frame> stack{Frame{&start, &graph.at(start)}};
    std::vector<std::string> path{start};
    state[start] = VisitState::kOnPath;
    while (!stack.empty()) {
      Frame& frame = stack.back();
      if (frame.next_edge == frame.edges->size()) {
        state[*frame.name] = VisitState::kDone;
        path.pop_back();
        stack.pop_back();
        continue;
      }
      const Dependency& edge = (*frame.edges)[frame.next_edge++];
      auto next = graph.find(edge.name);
      // An unknown service or the service itself: check_depends_on reports those.
      if (next == graph.end() || edge.name == *frame.name) continue;
      VisitState& next_state = state[edge.name];
      if (next_state == VisitState::kOnPath) report_cycle(path, edge.name, edge.where);
      if (next_state != VisitState::kUnvisited) continue;
      next_state = VisitState::kOnPath;
      path.push_back(edge.name);
      stack.push_back(Frame{&next->first, &next->second});
    }
  }

  void report_cycle(const std::vector<std::string>& path, const std::string& back_to,
                    const SourceLocation& where) {
    constexpr std::size_t kMaxShownSteps = 8;
    auto start = std::find(path.begin(), path.end(), back_to);
    std::size_t length = static_cast<std::size_t>(path.end() - start);
    std::string cycle;
    for (auto it = start;
         it != path.end() && it - start < static_cast<std::ptrdiff_t>(kMaxShownSteps); ++it)
      cycle += cut(*it) + " -> ";
    // A long cycle stays one readable line: its first steps, how many more, and its end.
    if (length > kMaxShownSteps)
      cycle += "... (" + std::to_string(length - kMaxShownSteps) + " more) -> ";
    cycle += cut(back_to);
    error(where, "services." + cut(path.back()) + ".depends_on", "dependency cycle: " + cycle,
          "remove one of these depends_on entries");
  }

  // Two services (or two replicas) cannot bind the same host port on one machine. On a swarm
  // the replicas of a service share its published port (the routing mesh publishes it once,
  // and the scheduler puts a host-mode port's tasks only on nodes where it is free): there
  // only two services clash.
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
      error(item.location, path,
            "host port " + key + " is already published by service '" + it->second.first + "'",
            "at " + it->second.second.to_string() + "; choose another host port");
      return;
    }
    if (target_.target == model::DeployTarget::kSwarm) return;
    const Node* replicas = service.value.find("replicas");
    if (replicas && replicas->kind == NodeKind::kInt && replicas->text != "0" &&
        replicas->text != "1")
      error(item.location, path,
            "host port " + key + " is published by " + replicas->text + " replicas of '" +
                service.key + "'",
            "only one container can bind a host port; publish the container port only (\"" +
                std::to_string(port->container_port) + "\") or use replicas: 1");
  }

  const Node& root_;
  TargetOfEnvironment target_;
  Diagnostics& out_;
  std::map<std::string, DeclaredNames, std::less<>> declared_;
};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

bool is_valid_name(std::string_view name, std::size_t max_length) {
  if (name.empty() || name.size() > max_length) return false;
  if (name[0] == '-' || name[0] == '_') return false;
  return std::all_of(name.begin(), name.end(), is_name_char);
}

Diagnostics check_semantics(const Node& root, std::string_view environment) {
  Diagnostics diagnostics;
  Checker(root, environment, diagnostics).run();
  return diagnostics;
}

}  // namespace run::config
