#include "plan/environment_status.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "model/names.h"
#include "model/secret_redaction.h"

namespace run::plan {

namespace {

std::vector<std::string> pending_work(const Plan& plan, const std::string& service) {
  std::map<ActionKind, int> counts;
  for (const Action& action : plan.actions)
    if ((action.resource == ResourceKind::kContainer || action.resource == ResourceKind::kService ||
         action.kind == ActionKind::kBuild) &&
        action.service == service)
      ++counts[action.kind];
  std::vector<std::string> pending;
  for (const auto& [kind, count] : counts)
    pending.push_back(std::to_string(count) + " to " + std::string(to_string(kind)));
  return pending;
}

/// The unhealthy replicas of `status`'s service that say why; their outputs redacted with the
/// secrets of `spec` (none for a service no longer in the config: its values are unknown).
void note_unhealthy(const model::ObservedState& observed, const model::ServiceSpec* spec,
                    ServiceStatus& status) {
  for (const model::ObservedContainer& container : observed.containers) {
    if (container.label(model::kLabelService) != status.name || !container.last_health_check)
      continue;
    model::HealthCheckOutput check = *container.last_health_check;
    if (spec) check.output = model::redact_secrets(std::move(check.output), *spec);
    status.unhealthy_replicas.push_back({container.replica().value_or(0), std::move(check)});
  }
  std::sort(
      status.unhealthy_replicas.begin(), status.unhealthy_replicas.end(),
      [](const UnhealthyReplica& a, const UnhealthyReplica& b) { return a.replica < b.replica; });
}

void count_containers(const model::ObservedState& observed, ServiceStatus& status) {
  for (const model::ObservedContainer& container : observed.containers) {
    if (container.label(model::kLabelService) != status.name) continue;
    if (container.running()) ++status.running_replicas;
    if (container.health == "healthy") ++status.healthy;
    if (container.health == "unhealthy") ++status.unhealthy;
    if (container.health == "starting") ++status.starting;
    if (status.image.empty()) status.image = container.image;
    if (container.image != status.image && status.running_image.empty())
      status.running_image = container.image;
  }
  // A swarm service: its running tasks (a task with a health check runs once it is healthy).
  for (const model::ObservedService& service : observed.services) {
    if (service.spec.name != status.name) continue;
    status.running_replicas += service.running_tasks;
    if (service.spec.healthcheck) status.healthy += service.running_tasks;
    if (status.image.empty()) status.image = service.spec.image;
    if (service.spec.image != status.image) status.running_image = service.spec.image;
  }
}

/// The source of the first running replica's deployment.
std::string source_of(const model::ObservedState& observed, const std::string& service,
                      const std::map<std::string, std::string>& sources) {
  for (const model::ObservedContainer& container : observed.containers) {
    if (container.label(model::kLabelService) != service || !container.running()) continue;
    auto it = sources.find(container.label(model::kLabelDeployment));
    if (it != sources.end()) return it->second;
  }
  return {};
}

}  // namespace

EnvironmentStatus environment_status(const model::DesiredState& desired,
                                     const model::ObservedState& observed, const Plan& plan,
                                     const std::map<std::string, std::string>& sources) {
  EnvironmentStatus status{desired.project, desired.environment, {}, plan.unfinished};
  for (const model::ServiceSpec& spec : desired.services) {
    ServiceStatus service;
    service.name = spec.name;
    service.desired_replicas = spec.replicas;
    service.image = spec.image;
    count_containers(observed, service);
    note_unhealthy(observed, &spec, service);
    if (spec.build) service.source = source_of(observed, spec.name, sources);
    service.pending = pending_work(plan, spec.name);
    status.services.push_back(std::move(service));
  }
  std::map<std::string, bool> orphans;
  for (const model::ObservedContainer& container : observed.containers) {
    std::string name = container.label(model::kLabelService);
    if (!desired.find_service(name)) orphans[name] = true;
  }
  for (const model::ObservedService& service : observed.services)
    if (!desired.find_service(service.spec.name)) orphans[service.spec.name] = true;
  for (const auto& [name, unused] : orphans) {
    ServiceStatus service;
    service.name = name;
    service.in_config = false;
    count_containers(observed, service);
    note_unhealthy(observed, nullptr, service);
    service.pending = pending_work(plan, name);
    status.services.push_back(std::move(service));
  }
  return status;
}

}  // namespace run::plan
