#include "docker/swarm_service_body.h"

#include "core/json_text.h"
#include "docker/container_body.h"
#include "docker/json_fields.h"
#include "model/names.h"
#include "model/service_fields.h"

namespace run::docker {

namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;

std::string nanos(std::int64_t milliseconds) {
  return std::to_string(milliseconds * kNanosPerMilli);
}

std::string env_list(const model::ServiceSpec& spec) {
  std::vector<std::string> items;
  for (const auto& [name, value] : spec.env) items.push_back(name + "=" + value.value);
  return json_string_list(items);
}

std::map<std::string, std::string> run_labels(const model::ServiceSpec& spec,
                                              const SwarmServicePlacement& placement) {
  std::map<std::string, std::string> labels = {{model::kLabelProject, placement.project},
                                               {model::kLabelEnvironment, placement.environment},
                                               {model::kLabelService, spec.name},
                                               {model::kLabelImage, spec.image}};
  if (!placement.deployment.empty()) labels[model::kLabelDeployment] = placement.deployment;
  return labels;
}

std::string mounts(const model::ServiceSpec& spec, const SwarmServicePlacement& placement) {
  std::string out = "[";
  for (const model::Mount& mount : spec.volumes) {
    bool volume = mount.kind == model::MountKind::kVolume;
    std::string source = volume ? model::volume_name(placement.project, placement.environment,
                                                     mount.source)
                                : mount.source;  // absolute: validation refuses the rest
    out += (out.size() > 1 ? "," : "") + std::string("{\"Type\":") +
           json_quote(volume ? "volume" : "bind") + ",\"Source\":" + json_quote(source) +
           ",\"Target\":" + json_quote(mount.target) +
           (mount.read_only ? ",\"ReadOnly\":true" : "");
    if (volume)
      out += ",\"VolumeOptions\":{\"Labels\":" +
             json_string_map({{model::kLabelProject, placement.project},
                              {model::kLabelEnvironment, placement.environment},
                              {model::kLabelResource, mount.source}}) +
             "}";
    out += "}";
  }
  return out + "]";
}

std::string container_spec(const model::ServiceSpec& spec, const SwarmServicePlacement& placement) {
  std::string out = "{\"Image\":" + json_quote(spec.image);
  if (spec.entrypoint) out += ",\"Command\":" + json_string_list(*spec.entrypoint);
  if (spec.command) out += ",\"Args\":" + json_string_list(*spec.command);
  out += ",\"Env\":" + env_list(spec);
  out += ",\"Labels\":" + json_string_map(spec.labels);
  if (!spec.user.empty()) out += ",\"User\":" + json_quote(spec.user);
  if (!spec.working_dir.empty()) out += ",\"Dir\":" + json_quote(spec.working_dir);
  if (!spec.stop_signal.empty()) out += ",\"StopSignal\":" + json_quote(spec.stop_signal);
  if (spec.stop_grace_period_ms) out += ",\"StopGracePeriod\":" + nanos(*spec.stop_grace_period_ms);
  if (spec.healthcheck) out += ",\"Healthcheck\":" + healthcheck_body(*spec.healthcheck);
  if (spec.init) out += ",\"Init\":true";
  out += ",\"Mounts\":" + mounts(spec, placement);
  return out + "}";
}

std::string resources(const model::ServiceSpec& spec) {
  std::string limits, reservations;
  auto add = [](std::string& to, const std::string& field) {
    to += (to.empty() ? "" : ",") + field;
  };
  if (spec.in_place.cpus)
    add(limits,
        "\"NanoCPUs\":" + std::to_string(static_cast<std::int64_t>(*spec.in_place.cpus * 1e9)));
  if (spec.in_place.memory_bytes)
    add(limits, "\"MemoryBytes\":" + std::to_string(*spec.in_place.memory_bytes));
  if (spec.swarm.reserved_cpus)
    add(reservations, "\"NanoCPUs\":" + std::to_string(static_cast<std::int64_t>(
                                            *spec.swarm.reserved_cpus * 1e9)));
  if (spec.swarm.reserved_memory_bytes)
    add(reservations, "\"MemoryBytes\":" + std::to_string(*spec.swarm.reserved_memory_bytes));
  return "{\"Limits\":{" + limits + "},\"Reservations\":{" + reservations + "}}";
}

std::string placement_of(const model::SwarmSettings& swarm) {
  std::string out = "{\"Constraints\":" + json_string_list(swarm.constraints);
  out += ",\"Preferences\":[";
  for (std::size_t i = 0; i < swarm.preferences.size(); ++i)
    out += (i ? "," : "") + std::string("{\"Spread\":{\"SpreadDescriptor\":") +
           json_quote(swarm.preferences[i]) + "}}";
  out += "]";
  if (swarm.max_replicas_per_node)
    out += ",\"MaxReplicas\":" + std::to_string(swarm.max_replicas_per_node);
  return out + "}";
}

std::string networks(const model::ServiceSpec& spec, const SwarmServicePlacement& placement) {
  std::vector<std::string> names = {model::kDefaultNetwork};
  names.insert(names.end(), spec.networks.begin(), spec.networks.end());
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i ? "," : "") + std::string("{\"Target\":") +
           json_quote(model::network_name(placement.project, placement.environment, names[i])) +
           ",\"Aliases\":" + json_string_list({spec.name}) + "}";
  return out + "]";
}

std::string mode_of(const model::ServiceSpec& spec) {
  switch (spec.swarm.mode) {
    case model::SwarmMode::kGlobal:
      return "{\"Global\":{}}";
    case model::SwarmMode::kReplicatedJob:
      return "{\"ReplicatedJob\":{\"MaxConcurrent\":" + std::to_string(spec.replicas) +
             ",\"TotalCompletions\":" + std::to_string(spec.replicas) + "}}";
    case model::SwarmMode::kReplicated:
      break;
  }
  return "{\"Replicated\":{\"Replicas\":" + std::to_string(spec.replicas) + "}}";
}

std::string rollout(const model::RolloutSettings& settings, bool start_first) {
  return "{\"Parallelism\":" + std::to_string(settings.parallelism) +
         ",\"Delay\":" + nanos(settings.delay_ms) +
         ",\"FailureAction\":" + json_quote(settings.failure_action) +
         ",\"Monitor\":" + nanos(settings.monitor_ms) +
         ",\"MaxFailureRatio\":" + model::format_cpus(settings.max_failure_ratio) +
         ",\"Order\":" + json_quote(start_first ? "start-first" : "stop-first") + "}";
}

std::string endpoint(const model::ServiceSpec& spec) {
  std::string out = "{\"Mode\":" + json_quote(spec.swarm.endpoint_mode) + ",\"Ports\":[";
  for (std::size_t i = 0; i < spec.ports.size(); ++i) {
    const model::PortBinding& port = spec.ports[i];
    out += (i ? "," : "") + std::string("{\"Protocol\":") + json_quote(port.protocol) +
           ",\"TargetPort\":" + std::to_string(port.container_port) +
           (port.host_port ? ",\"PublishedPort\":" + std::to_string(port.host_port) : "") +
           ",\"PublishMode\":\"host\"}";
  }
  return out + "]}";
}

}  // namespace

std::string swarm_service_body(const model::ServiceSpec& spec,
                               const SwarmServicePlacement& placement) {
  std::string out = "{\"Name\":" + json_quote(model::swarm_service_name(
                                       placement.project, placement.environment, spec.name));
  out += ",\"Labels\":" + json_string_map(run_labels(spec, placement));
  out += ",\"TaskTemplate\":{\"ContainerSpec\":" + container_spec(spec, placement);
  out += ",\"Resources\":" + resources(spec);
  out += ",\"RestartPolicy\":{\"Condition\":" + json_quote(spec.swarm.restart_condition) + "}";
  out += ",\"Placement\":" + placement_of(spec.swarm);
  out += ",\"Networks\":" + networks(spec, placement);
  out += ",\"ForceUpdate\":" + std::to_string(placement.force_update) + "}";
  out += ",\"Mode\":" + mode_of(spec);
  if (spec.swarm.mode != model::SwarmMode::kReplicatedJob) {
    out += ",\"UpdateConfig\":" +
           rollout(spec.swarm.update, spec.update_order == model::UpdateOrder::kStartFirst);
    out += ",\"RollbackConfig\":" + rollout(spec.swarm.rollback, spec.swarm.rollback.start_first);
  }
  out += ",\"EndpointSpec\":" + endpoint(spec);
  return out + "}";
}

}  // namespace run::docker
