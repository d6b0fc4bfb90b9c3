#include "plan/swarm_planner.h"

#include <algorithm>

#include "model/names.h"
#include "model/swarm_fields.h"
#include "plan/field_diff.h"

namespace run::plan {

namespace {

using model::ObservedService;
using model::ServiceSpec;

/// The live spec with the config's secrets marked as such: a secret's value shows as the
/// desired fingerprint when the live value is the same, as another when it is not, so it is
/// compared without ever being shown.
ServiceSpec with_secrets_marked(ServiceSpec live, const ServiceSpec& wanted) {
  for (auto& [name, value] : live.env) {
    auto desired = wanted.env.find(name);
    if (desired == wanted.env.end() || !desired->second.sensitive) continue;
    value.sensitive = true;
    value.fingerprint =
        value.value == desired->second.value ? desired->second.fingerprint : "changed outside run";
  }
  return live;
}

/// A rollout the manager stopped half way (failure_action: pause): the spec is already the
/// new one, so no field differs, yet the service has not converged.
bool paused(const ObservedService& service) {
  return service.update_state == "paused" || service.update_state == "rollback_paused";
}

std::string changed_reason(const std::vector<FieldChange>& changes) {
  if (changes.size() == 1 && changes.front().path == "replicas")
    return "scaled from " + changes.front().before.value_or("?") + " to " +
           changes.front().after.value_or("?");
  std::vector<std::string> roots;
  for (const FieldChange& change : changes) {
    std::string root = change.path.substr(0, change.path.find_first_of(".["));
    if (std::find(roots.begin(), roots.end(), root) == roots.end()) roots.push_back(root);
  }
  std::string reason;
  for (std::size_t i = 0; i < roots.size(); ++i) reason += (i ? ", " : "") + roots[i];
  return reason + " changed";
}

class SwarmPlanner {
 public:
  SwarmPlanner(const model::DesiredState& desired, const model::ObservedState& observed,
               const PlanOptions& options)
      : desired_(desired), observed_(observed), options_(options) {
    plan_.project = desired.project;
    plan_.environment = desired.environment;
    plan_.destroy = options.purpose == PlanPurpose::kDestroy;
    plan_.target = model::DeployTarget::kSwarm;
  }

  Plan make() {
    check_foreign_names();
    if (!plan_.errors.empty()) return std::move(plan_);
    plan_networks();
    for (const ServiceSpec& service : desired_.services) plan_service(service);
    plan_removed_services();
    plan_removed_networks();
    return std::move(plan_);
  }

 private:
  std::string service_name(const std::string& service) const {
    return model::swarm_service_name(desired_.project, desired_.environment, service);
  }

  std::string network_name(const std::string& network) const {
    return model::network_name(desired_.project, desired_.environment, network);
  }

  void clash(const std::string& kind, const std::string& name) {
    plan_.errors.push_back(make_error(
        SourceLocation{}, "",
        kind + " '" + name + "' already exists and was not created by run for " + desired_.project +
            "/" + desired_.environment,
        "run never touches what it did not create: rename or remove it yourself (docker " + kind +
            " rm " + name + "), then plan again"));
  }

  void check_foreign_names() {
    auto foreign = [](const std::vector<std::string>& names, const std::string& name) {
      return std::find(names.begin(), names.end(), name) != names.end();
    };
    for (const ServiceSpec& service : desired_.services)
      if (foreign(observed_.foreign_services, service_name(service.name)))
        clash("service", service_name(service.name));
    for (const model::NetworkSpec& network : desired_.networks)
      if (foreign(observed_.foreign_networks, network_name(network.name)))
        clash("network", network_name(network.name));
  }

  const ObservedService* observed_service(const std::string& name) const {
    auto it = std::find_if(observed_.services.begin(), observed_.services.end(),
                           [&](const ObservedService& service) {
                             return service.labels.count(model::kLabelService) &&
                                    service.labels.at(model::kLabelService) == name;
                           });
    return it == observed_.services.end() ? nullptr : &*it;
  }

  Action action(ActionKind kind, ResourceKind resource, std::string name, std::string reason,
                std::string id = {}) const {
    Action made;
    made.kind = kind;
    made.resource = resource;
    made.name = std::move(name);
    made.reason = std::move(reason);
    made.existing_id = std::move(id);
    return made;
  }

  void plan_networks() {
    for (const model::NetworkSpec& network : desired_.networks) {
      std::string name = network_name(network.name);
      bool present = std::any_of(observed_.networks.begin(), observed_.networks.end(),
                                 [&](const model::ObservedNetwork& n) { return n.name == name; });
      if (!present)
        plan_.actions.push_back(action(
            ActionKind::kCreate, ResourceKind::kNetwork, name,
            network.name == model::kDefaultNetwork ? "the environment's network" : "new network"));
    }
  }

  void plan_service(const ServiceSpec& wanted) {
    const ObservedService* live = observed_service(wanted.name);
    if (live == nullptr) {
      Action create = action(ActionKind::kCreate, ResourceKind::kService, service_name(wanted.name),
                             "new service");
      create.service = wanted.name;
      create.image = wanted.image;
      plan_.actions.push_back(std::move(create));
      return;
    }
    std::vector<FieldChange> changes =
        diff_fields(model::swarm_fields(with_secrets_marked(live->spec, wanted),
                                        model::SecretForm::kFingerprint),
                    model::swarm_fields(wanted, model::SecretForm::kFingerprint));
    if (changes.empty() && !paused(*live)) return;
    Action update = action(
        ActionKind::kUpdate, ResourceKind::kService, live->name,
        changes.empty() ? "its rollout is " + live->update_state +
                              (live->update_message.empty() ? std::string()
                                                            : " (" + live->update_message + ")") +
                              ": resumed"
                        : changed_reason(changes),
        live->id);
    update.service = wanted.name;
    update.image = wanted.image;
    update.service_version = live->version;
    update.force_update = live->force_update;
    update.restarts_tasks =
        changes.empty() ||
        std::any_of(changes.begin(), changes.end(), [](const FieldChange& change) {
          return model::swarm_field_restarts_tasks(change.path);
        });
    update.changes = std::move(changes);
    plan_.actions.push_back(std::move(update));
  }

  std::string removed_reason() const {
    return options_.purpose == PlanPurpose::kDestroy ? "environment destroyed" : "not in config";
  }

  void plan_removed_services() {
    std::vector<const ObservedService*> removed;
    for (const ObservedService& service : observed_.services)
      if (!desired_.find_service(service.spec.name)) removed.push_back(&service);
    std::sort(removed.begin(), removed.end(), [](auto* a, auto* b) { return a->name < b->name; });
    for (const ObservedService* service : removed) {
      Action remove = action(ActionKind::kRemove, ResourceKind::kService, service->name,
                             removed_reason(), service->id);
      remove.service = service->spec.name;
      plan_.actions.push_back(std::move(remove));
    }
  }

  void plan_removed_networks() {
    for (const model::ObservedNetwork& network : observed_.networks) {
      bool wanted = std::any_of(
          desired_.networks.begin(), desired_.networks.end(),
          [&](const model::NetworkSpec& n) { return network_name(n.name) == network.name; });
      if (!wanted)
        plan_.actions.push_back(action(ActionKind::kRemove, ResourceKind::kNetwork, network.name,
                                       removed_reason(), network.id));
    }
  }

  const model::DesiredState& desired_;
  const model::ObservedState& observed_;
  const PlanOptions& options_;
  Plan plan_;
};

}  // namespace

Plan make_swarm_plan(const model::DesiredState& desired, const model::ObservedState& observed,
                     const PlanOptions& options) {
  return SwarmPlanner(desired, observed, options).make();
}

}  // namespace run::plan
