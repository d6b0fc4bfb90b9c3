#include "plan/planner.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "model/names.h"
#include "model/service_fields.h"
#include "plan/field_diff.h"
#include "plan/hooks.h"

namespace run::plan {

namespace {

using model::ObservedContainer;
using model::ServiceSpec;

std::string short_id(const std::string& id) {
  std::string_view text = id;
  if (text.starts_with("sha256:")) text.remove_prefix(7);
  return std::string(text.substr(0, 12));
}

model::FieldMap observed_in_place(const ObservedContainer& container) {
  return model::in_place_fields(
      model::InPlaceSettings{container.cpus, container.memory_bytes, container.restart});
}

/// "image changed", "env.A changed", "3 fields changed": what a reviewer reads first. An image
/// this plan builds reads "image rebuilt": the tag moved because the files did.
std::string replace_reason(const std::vector<FieldChange>& changes, bool image_rebuilt) {
  if (changes.empty()) return "config changed";
  bool image = std::any_of(changes.begin(), changes.end(),
                           [](const FieldChange& c) { return c.path == "image"; });
  if (changes.size() == 1 && image) return image_rebuilt ? "image rebuilt" : "image changed";
  if (changes.size() == 1) return changes.front().path + " changed";
  if (!image) return std::to_string(changes.size()) + " fields changed";
  return (image_rebuilt ? "image rebuilt and " : "image and ") +
         std::to_string(changes.size() - 1) + " more fields changed";
}

std::string in_place_reason(const std::vector<FieldChange>& changes) {
  bool resources = std::any_of(changes.begin(), changes.end(), [](const FieldChange& c) {
    return c.path.starts_with("resources.");
  });
  bool restart = std::any_of(changes.begin(), changes.end(),
                             [](const FieldChange& c) { return c.path == "restart"; });
  if (resources && restart) return "resources and restart policy changed";
  return resources ? "resources changed" : "restart policy changed";
}

/// Each desired service by name: a plan looks services up once per container and action,
/// and a scan of the list each time made planning quadratic (4 s for 10,000 services).
std::map<std::string, const ServiceSpec*> services_by_name(const model::DesiredState& desired) {
  std::map<std::string, const ServiceSpec*> index;
  for (const ServiceSpec& service : desired.services) index.emplace(service.name, &service);
  return index;
}

/// The observed containers of each service (by their run.service label), in observed order.
std::map<std::string, std::vector<const ObservedContainer*>> containers_by_service(
    const model::ObservedState& observed) {
  std::map<std::string, std::vector<const ObservedContainer*>> index;
  for (const ObservedContainer& container : observed.containers)
    index[container.label(model::kLabelService)].push_back(&container);
  return index;
}

class Planner {
 public:
  Planner(const model::DesiredState& desired, const model::ObservedState& observed,
          const PlanOptions& options)
      : desired_(desired),
        observed_(observed),
        options_(options),
        services_(services_by_name(desired)),
        containers_(containers_by_service(observed)) {
    plan_.project = desired.project;
    plan_.environment = desired.environment;
    plan_.destroy = options.purpose == PlanPurpose::kDestroy;
  }

  Plan run() {
    check_foreign_names();
    if (!plan_.errors.empty()) return std::move(plan_);
    plan_networks();
    plan_volumes();
    plan_builds();
    for (const ServiceSpec* service : dependency_order(desired_)) plan_service(*service);
    plan_removed_services();
    plan_removed_networks();
    plan_removed_volumes();
    for (Action& action : plan_.actions) note_prerequisites(action);
    note_images_to_pull();
    return std::move(plan_);
  }

 private:
  std::string container_name(const std::string& service, int replica) const {
    return model::container_name(desired_.project, desired_.environment, service, replica);
  }

  void clash(const std::string& kind, const std::string& name) {
    plan_.errors.push_back(make_error(
        SourceLocation{}, "",
        kind + " '" + name + "' already exists and was not created by run for " + desired_.project +
            "/" + desired_.environment,
        "run never touches what it did not create: rename or remove it yourself (docker " +
            (kind == "container" ? std::string("rm") : kind + " rm") + " " + name +
            "), then plan again"));
  }

  void check_foreign_names() {
    std::set<std::string> foreign;
    for (const auto& container : observed_.foreign_containers) foreign.insert(container.name);
    for (const ServiceSpec& service : desired_.services)
      for (int replica = 1; replica <= service.replicas; ++replica)
        if (foreign.count(container_name(service.name, replica)))
          clash("container", container_name(service.name, replica));
    for (const auto& network : desired_.networks) {
      std::string name = model::network_name(desired_.project, desired_.environment, network.name);
      if (std::count(observed_.foreign_networks.begin(), observed_.foreign_networks.end(), name))
        clash("network", name);
    }
    for (const auto& volume : desired_.volumes) {
      std::string name = model::volume_name(desired_.project, desired_.environment, volume.name);
      if (std::count(observed_.foreign_volumes.begin(), observed_.foreign_volumes.end(), name))
        clash("volume", name);
    }
  }

  void add(Action action) { plan_.actions.push_back(std::move(action)); }

  Action resource_action(ActionKind kind, ResourceKind resource, std::string name,
                         std::string reason, std::string id = {}) {
    Action action;
    action.kind = kind;
    action.resource = resource;
    action.name = std::move(name);
    action.reason = std::move(reason);
    action.existing_id = std::move(id);
    return action;
  }

  void plan_networks() {
    for (const auto& network : desired_.networks) {
      std::string name = model::network_name(desired_.project, desired_.environment, network.name);
      bool present = std::any_of(observed_.networks.begin(), observed_.networks.end(),
                                 [&](const model::ObservedNetwork& n) { return n.name == name; });
      if (!present)
        add(resource_action(ActionKind::kCreate, ResourceKind::kNetwork, name, "missing"));
    }
  }

  void plan_volumes() {
    for (const auto& volume : desired_.volumes) {
      std::string name = model::volume_name(desired_.project, desired_.environment, volume.name);
      bool present = std::any_of(observed_.volumes.begin(), observed_.volumes.end(),
                                 [&](const model::ObservedVolume& v) { return v.name == name; });
      if (!present)
        add(resource_action(ActionKind::kCreate, ResourceKind::kVolume, name, "missing"));
    }
  }

  /// A built service's image is tagged with the content hash of its inputs, so the daemon
  /// lacking that tag is the whole question; plan/build_causes.h says what moved.
  void plan_builds() {
    if (options_.purpose == PlanPurpose::kDestroy) return;
    for (const ServiceSpec& spec : desired_.services) {
      if (!spec.build || spec.replicas == 0 || observed_.image_ids.count(spec.image)) continue;
      if (!built_images_.insert(spec.image).second) continue;
      Action build;
      build.kind = ActionKind::kBuild;
      build.resource = ResourceKind::kImage;
      build.service = spec.name;
      build.name = spec.image;
      build.image = spec.image;
      build.reason = "image missing";
      add(std::move(build));
    }
  }

  std::vector<const ObservedContainer*> containers_of(const std::string& service) const {
    auto it = containers_.find(service);
    return it == containers_.end() ? std::vector<const ObservedContainer*>{} : it->second;
  }

  const ServiceSpec* find_service(const std::string& name) const {
    auto it = services_.find(name);
    return it == services_.end() ? nullptr : it->second;
  }

  Action container_action(ActionKind kind, const std::string& service, int replica,
                          std::string reason, const ObservedContainer* existing = nullptr) {
    Action action;
    action.kind = kind;
    action.resource = ResourceKind::kContainer;
    action.service = service;
    action.replica = replica;
    action.name = existing ? existing->name : container_name(service, replica);
    action.reason = std::move(reason);
    if (existing) action.existing_id = existing->id;
    return action;
  }

  void plan_service(const ServiceSpec& spec) {
    std::vector<const ObservedContainer*> observed = containers_of(spec.name);
    std::map<int, const ObservedContainer*> by_replica;
    std::vector<const ObservedContainer*> strays;
    for (const ObservedContainer* container : observed) {
      std::optional<int> replica = container->replica();
      bool expected_name = replica && container->name == container_name(spec.name, *replica);
      if (!expected_name || by_replica.count(*replica)) {
        strays.push_back(container);
        continue;
      }
      by_replica[*replica] = container;
    }
    int running_replicas = static_cast<int>(by_replica.size());
    for (int replica = 1; replica <= spec.replicas; ++replica) {
      auto it = by_replica.find(replica);
      if (it == by_replica.end()) {
        add(create_action(spec, replica, running_replicas, observed.empty()));
        continue;
      }
      plan_existing(spec, replica, *it->second);
    }
    for (auto it = by_replica.rbegin(); it != by_replica.rend(); ++it) {
      if (it->first <= spec.replicas) continue;
      add(container_action(
          ActionKind::kRemove, spec.name, it->first,
          "scale down " + std::to_string(running_replicas) + " -> " + std::to_string(spec.replicas),
          it->second));
    }
    for (const ObservedContainer* stray : strays)
      add(container_action(ActionKind::kRemove, spec.name, stray->replica().value_or(0),
                           "not a replica of the plan (left by an interrupted change)", stray));
  }

  Action create_action(const ServiceSpec& spec, int replica, int existing_replicas,
                       bool new_service) {
    std::string reason = new_service ? "new service"
                         : replica > existing_replicas
                             ? "scale up " + std::to_string(existing_replicas) + " -> " +
                                   std::to_string(spec.replicas)
                             : "missing";
    Action action = container_action(ActionKind::kCreate, spec.name, replica, reason);
    action.config_hash = spec.config_hash;
    // A new service shows its fields once, on its first replica; more replicas of a spec
    // that already runs add nothing to read.
    if (new_service && replica == 1) {
      model::FieldMap fields = model::recreate_fields(spec, model::SecretForm::kFingerprint);
      fields.merge(model::in_place_fields(spec.in_place));  // one list, in path order
      action.changes = diff_fields({}, fields);
    }
    return action;
  }

  void plan_existing(const ServiceSpec& spec, int replica, const ObservedContainer& container) {
    if (container.label(model::kLabelConfigHash) != spec.config_hash)
      return add(replace_for_spec(spec, replica, container));
    if (image_rebuilt(spec, container)) return add(replace_for_image(spec, replica, container));
    std::vector<FieldChange> in_place =
        diff_fields(observed_in_place(container), model::in_place_fields(spec.in_place));
    if (lifts_a_limit(in_place))
      return add(replace_for_lifted_limit(spec, replica, container, std::move(in_place)));
    if (!in_place.empty()) {
      Action update = container_action(ActionKind::kUpdate, spec.name, replica,
                                       in_place_reason(in_place), &container);
      update.changes = std::move(in_place);
      add(std::move(update));
    }
    if (!container.running())
      add(container_action(ActionKind::kStart, spec.name, replica,
                           "not running (" + container.state + ")", &container));
  }

  Action replace_for_spec(const ServiceSpec& spec, int replica,
                          const ObservedContainer& container) {
    std::optional<model::FieldMap> before =
        model::field_map_from_json(container.label(model::kLabelSpec));
    std::vector<FieldChange> changes =
        diff_fields(before.value_or(model::FieldMap{}),
                    model::recreate_fields(spec, model::SecretForm::kFingerprint));
    // Without a recorded spec every field looks new; say so instead of "N fields changed".
    std::string reason = before ? replace_reason(changes, built_images_.count(spec.image) > 0)
                                : "config hash changed (no recorded spec to compare)";
    Action replace = container_action(ActionKind::kReplace, spec.name, replica, reason, &container);
    replace.config_hash = spec.config_hash;
    for (const FieldChange& change : changes) replace.replace_fields.push_back(change.path);
    // The new container also takes the new cpu, memory and restart policy: show them too.
    for (FieldChange& change :
         diff_fields(observed_in_place(container), model::in_place_fields(spec.in_place)))
      changes.push_back(std::move(change));
    replace.changes = std::move(changes);
    return replace;
  }

  /// Docker's update endpoint can change a cpu or memory limit but not lift one (0 means
  /// "unchanged" to it), so a limit the config removed takes a new container.
  static bool lifts_limit(const FieldChange& change) {
    return change.path.starts_with("resources.") && change.before && !change.after;
  }
  static bool lifts_a_limit(const std::vector<FieldChange>& changes) {
    return std::any_of(changes.begin(), changes.end(), lifts_limit);
  }

  Action replace_for_lifted_limit(const ServiceSpec& spec, int replica,
                                  const ObservedContainer& container,
                                  std::vector<FieldChange> changes) {
    Action replace = container_action(ActionKind::kReplace, spec.name, replica, "", &container);
    replace.config_hash = spec.config_hash;
    for (const FieldChange& change : changes)
      if (lifts_limit(change)) replace.replace_fields.push_back(change.path);
    replace.reason =
        (replace.replace_fields.size() == 1 ? replace.replace_fields.front() : "resource limits") +
        " removed (Docker cannot lift a limit in place)";
    replace.changes = std::move(changes);
    return replace;
  }

  /// The same tag, but the local image is another id than the one the container runs.
  bool image_rebuilt(const ServiceSpec& spec, const ObservedContainer& container) const {
    auto it = observed_.image_ids.find(spec.image);
    return it != observed_.image_ids.end() && !container.image_id.empty() &&
           it->second != container.image_id;
  }

  Action replace_for_image(const ServiceSpec& spec, int replica,
                           const ObservedContainer& container) {
    const std::string& local_id = observed_.image_ids.at(spec.image);
    Action replace = container_action(ActionKind::kReplace, spec.name, replica,
                                      "image " + spec.image + " now has another id", &container);
    replace.config_hash = spec.config_hash;
    replace.changes.push_back(
        FieldChange{"image_id", short_id(container.image_id), short_id(local_id), false});
    replace.replace_fields.push_back("image_id");
    return replace;
  }

  std::string removed_reason() const {
    return options_.purpose == PlanPurpose::kDestroy ? "environment destroyed" : "not in config";
  }

  void plan_removed_services() {
    std::vector<const ObservedContainer*> removed;
    for (const auto& container : observed_.containers)
      if (!find_service(container.label(model::kLabelService))) removed.push_back(&container);
    std::sort(removed.begin(), removed.end(), [](auto* a, auto* b) { return a->name < b->name; });
    for (const ObservedContainer* container : removed)
      add(container_action(ActionKind::kRemove, container->label(model::kLabelService),
                           container->replica().value_or(0), removed_reason(), container));
  }

  void plan_removed_networks() {
    for (const auto& network : observed_.networks) {
      bool wanted = std::any_of(
          desired_.networks.begin(), desired_.networks.end(), [&](const model::NetworkSpec& n) {
            return model::network_name(desired_.project, desired_.environment, n.name) ==
                   network.name;
          });
      if (!wanted)
        add(resource_action(ActionKind::kRemove, ResourceKind::kNetwork, network.name,
                            removed_reason(), network.id));
    }
  }

  void plan_removed_volumes() {
    for (const auto& volume : observed_.volumes) {
      bool wanted = std::any_of(
          desired_.volumes.begin(), desired_.volumes.end(), [&](const model::VolumeSpec& v) {
            return model::volume_name(desired_.project, desired_.environment, v.name) ==
                   volume.name;
          });
      if (wanted) continue;
      if (!options_.prune_volumes) {
        plan_.kept_volumes.push_back(volume.name);
        continue;
      }
      add(resource_action(ActionKind::kRemove, ResourceKind::kVolume, volume.name,
                          removed_reason() + " (--prune-volumes)", volume.name));
    }
    std::sort(plan_.kept_volumes.begin(), plan_.kept_volumes.end());
  }

  /// What the executor needs to order an action and no more: a new container's image, and
  /// what a create, replace or start waits for. Updates and removals wait for nothing.
  void note_prerequisites(Action& action) const {
    if (action.resource != ResourceKind::kContainer || action.kind == ActionKind::kUpdate ||
        action.kind == ActionKind::kRemove)
      return;
    const ServiceSpec* spec = find_service(action.service);
    if (spec == nullptr) return;
    action.wait_for = spec->depends_on;
    if (action.kind != ActionKind::kStart) action.image = spec->image;
  }

  void note_images_to_pull() {
    std::set<std::string> images;
    for (const Action& action : plan_.actions)
      if (!action.image.empty() && !observed_.image_ids.count(action.image) &&
          !built_images_.count(action.image))
        images.insert(action.image);
    plan_.images_to_pull.assign(images.begin(), images.end());
  }

  const model::DesiredState& desired_;
  const model::ObservedState& observed_;
  const PlanOptions& options_;
  const std::map<std::string, const ServiceSpec*> services_;
  const std::map<std::string, std::vector<const ObservedContainer*>> containers_;
  std::set<std::string> built_images_;  ///< what this plan's builds make: never pulled
  Plan plan_;
};

}  // namespace

std::vector<const ServiceSpec*> dependency_order(const model::DesiredState& desired) {
  std::map<std::string, const ServiceSpec*> services = services_by_name(desired);
  std::map<std::string, int> waiting_on;
  std::map<std::string, std::vector<std::string>> dependents;
  for (const ServiceSpec& service : desired.services) {
    waiting_on[service.name] += 0;
    for (const auto& dependency : service.depends_on) {
      if (!services.count(dependency.service)) continue;
      ++waiting_on[service.name];
      dependents[dependency.service].push_back(service.name);
    }
  }
  std::set<std::string> ready;
  for (const auto& [name, count] : waiting_on)
    if (count == 0) ready.insert(name);
  std::vector<const ServiceSpec*> order;
  while (!ready.empty()) {
    std::string name = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(services.at(name));
    for (const std::string& dependent : dependents[name])
      if (--waiting_on[dependent] == 0) ready.insert(dependent);
  }
  return order;
}

namespace {

/// Whether the environment's own network is there: what a task runs on.
Deployed deployed(const model::DesiredState& desired, const model::ObservedState& observed) {
  std::string network =
      model::network_name(desired.project, desired.environment, model::kDefaultNetwork);
  bool found = std::any_of(observed.networks.begin(), observed.networks.end(),
                           [&](const model::ObservedNetwork& n) { return n.name == network; });
  return found ? Deployed::kYes : Deployed::kNotYet;
}

}  // namespace

Plan make_plan(const model::DesiredState& desired, const model::ObservedState& observed,
               const PlanOptions& options) {
  Plan plan = Planner(desired, observed, options).run();
  if (options.purpose == PlanPurpose::kConverge)
    plan.hooks = plan_hooks(desired.tasks, plan, deployed(desired, observed));
  return plan;
}

}  // namespace run::plan
