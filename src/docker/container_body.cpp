#include "docker/container_body.h"

#include "core/json_text.h"
#include "docker/json_fields.h"
#include "model/names.h"

namespace run::docker {

namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;

std::string env_list(const model::ServiceSpec& spec) {
  std::vector<std::string> items;
  for (const auto& [name, value] : spec.env) items.push_back(name + "=" + value.value);
  return json_string_list(items);
}

std::string port_key(const model::PortBinding& port) {
  return std::to_string(port.container_port) + "/" + port.protocol;
}

std::string exposed_ports(const model::ServiceSpec& spec) {
  std::map<std::string, std::string> seen;
  std::string out = "{";
  for (const auto& port : spec.ports) {
    if (!seen.emplace(port_key(port), "").second) continue;
    out += (out.size() > 1 ? "," : "") + json_quote(port_key(port)) + ":{}";
  }
  return out + "}";
}

std::string port_bindings(const model::ServiceSpec& spec) {
  std::map<std::string, std::vector<std::string>> bindings;
  for (const auto& port : spec.ports) {
    std::string host_port = port.host_port ? std::to_string(port.host_port) : "";
    bindings[port_key(port)].push_back("{\"HostIp\":" + json_quote(port.host_ip) +
                                       ",\"HostPort\":" + json_quote(host_port) + "}");
  }
  std::string out = "{";
  for (const auto& [key, list] : bindings) {
    out += (out.size() > 1 ? "," : "") + json_quote(key) + ":[";
    for (std::size_t i = 0; i < list.size(); ++i) out += (i ? "," : "") + list[i];
    out += "]";
  }
  return out + "}";
}

std::string bind_source(const model::Mount& mount, const ContainerPlacement& placement) {
  if (mount.kind == model::MountKind::kVolume)
    return model::volume_name(placement.project, placement.environment, mount.source);
  if (mount.source.starts_with('/')) return mount.source;
  if (mount.source.starts_with("~/"))
    return std::string(std::getenv("HOME") ? std::getenv("HOME") : "") + mount.source.substr(1);
  std::string relative = mount.source.starts_with("./") ? mount.source.substr(2) : mount.source;
  return placement.project_directory + "/" + relative;
}

std::string binds(const model::ServiceSpec& spec, const ContainerPlacement& placement) {
  std::vector<std::string> items;
  for (const auto& mount : spec.volumes)
    items.push_back(bind_source(mount, placement) + ":" + mount.target +
                    (mount.read_only ? ":ro" : ""));
  return json_string_list(items);
}

std::string resources(const model::InPlaceSettings& settings) {
  std::string out;
  if (settings.cpus)
    out += ",\"NanoCpus\":" + std::to_string(static_cast<std::int64_t>(*settings.cpus * 1e9));
  // No swap beyond the memory limit, as compose's mem_limit does by default on cgroup v2.
  if (settings.memory_bytes)
    out += ",\"Memory\":" + std::to_string(*settings.memory_bytes) +
           ",\"MemorySwap\":" + std::to_string(*settings.memory_bytes);
  // "no", not "": the update endpoint reads an empty name as "leave the policy as it is", so
  // going back from "always" to "no" in place would silently do nothing.
  out += ",\"RestartPolicy\":{\"Name\":" + json_quote(settings.restart) + "}";
  return out;
}

}  // namespace

std::string healthcheck_body(const model::HealthCheck& check) {
  std::string out = "{\"Test\":" + json_string_list(check.test);
  if (check.interval_ms)
    out += ",\"Interval\":" + std::to_string(check.interval_ms * kNanosPerMilli);
  if (check.timeout_ms) out += ",\"Timeout\":" + std::to_string(check.timeout_ms * kNanosPerMilli);
  if (check.start_period_ms)
    out += ",\"StartPeriod\":" + std::to_string(check.start_period_ms * kNanosPerMilli);
  if (check.retries) out += ",\"Retries\":" + std::to_string(check.retries);
  return out + "}";
}

std::string container_create_body(const model::ServiceSpec& spec,
                                  const ContainerPlacement& placement) {
  std::map<std::string, std::string> labels = spec.labels;
  for (const auto& [key, value] : placement.labels) labels[key] = value;
  std::string network =
      model::network_name(placement.project, placement.environment, model::kDefaultNetwork);
  std::string out = "{\"Image\":" + json_quote(spec.image);
  if (spec.command) out += ",\"Cmd\":" + json_string_list(*spec.command);
  if (spec.entrypoint) out += ",\"Entrypoint\":" + json_string_list(*spec.entrypoint);
  out += ",\"Env\":" + env_list(spec);
  out += ",\"Labels\":" + json_string_map(labels);
  if (!spec.user.empty()) out += ",\"User\":" + json_quote(spec.user);
  if (!spec.working_dir.empty()) out += ",\"WorkingDir\":" + json_quote(spec.working_dir);
  if (!spec.stop_signal.empty()) out += ",\"StopSignal\":" + json_quote(spec.stop_signal);
  if (spec.stop_grace_period_ms)
    out += ",\"StopTimeout\":" + std::to_string((*spec.stop_grace_period_ms + 999) / 1000);
  if (spec.healthcheck) out += ",\"Healthcheck\":" + healthcheck_body(*spec.healthcheck);
  out += ",\"ExposedPorts\":" + exposed_ports(spec);
  out += ",\"HostConfig\":{\"NetworkMode\":" + json_quote(network) +
         ",\"PortBindings\":" + port_bindings(spec) + ",\"Binds\":" + binds(spec, placement) +
         (spec.init ? ",\"Init\":true" : "") + resources(spec.in_place) + "}";
  out += ",\"NetworkingConfig\":{\"EndpointsConfig\":{" + json_quote(network) +
         ":{\"Aliases\":" + json_string_list({spec.name}) + "}}}";
  return out + "}";
}

// An unset cpu or memory sends no field: the endpoint reads 0 as "unchanged" and refuses to
// lift a limit (-1 is below its minimum), so the planner replaces a container whose limit the
// config removed instead of asking for an update that would do nothing.
std::string container_update_body(const model::InPlaceSettings& settings) {
  return "{" + resources(settings).substr(1) + "}";
}

}  // namespace run::docker
