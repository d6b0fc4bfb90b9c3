#include "docker/swarm_observe.h"

#include "docker/json_fields.h"
#include "docker/observe.h"
#include "docker/swarm_service_reader.h"
#include "model/names.h"

namespace run::docker {

namespace {

using Filters = std::vector<std::pair<std::string, std::vector<std::string>>>;

std::string prefix_of(const model::DesiredState& desired) {
  return desired.project + "-" + desired.environment + "-";
}

Filters owned_filters(const model::DesiredState& desired) {
  return {{"label",
           {std::string(model::kLabelProject) + "=" + desired.project,
            std::string(model::kLabelEnvironment) + "=" + desired.environment}}};
}

/// Network id -> its name in the config, for the environment's own networks.
std::map<std::string, std::string> network_names(const model::ObservedState& state) {
  std::map<std::string, std::string> names;
  for (const model::ObservedNetwork& network : state.networks) {
    auto written = network.labels.find(model::kLabelResource);
    names[network.id] = written == network.labels.end() ? network.name : written->second;
  }
  return names;
}

Result<rapidjson::Document> get_list(DockerApi& api, const std::string& path, const char* what) {
  Result<rapidjson::Document> json = get_docker_json(api, path);
  if (json && !json->IsArray())
    return make_error(SourceLocation{}, "",
                      "Docker at " + api.endpoint() + " sent an unexpected " + what + " list");
  return json;
}

Status observe_services(DockerApi& api, const model::DesiredState& desired,
                        model::ObservedState& state) {
  Result<rapidjson::Document> owned =
      get_list(api, "/services?filters=" + filters_query(owned_filters(desired)), "service");
  if (!owned) return owned.errors();
  std::map<std::string, std::string> networks = network_names(state);
  for (const auto& item : owned->GetArray())
    state.services.push_back(observed_service_of(item, networks, prefix_of(desired)));
  Result<rapidjson::Document> named = get_list(
      api, "/services?filters=" + filters_query({{"name", {prefix_of(desired)}}}), "service");
  if (!named) return named.errors();
  for (const auto& item : named->GetArray()) {
    std::string id = string_member(item, "ID");
    bool ours =
        std::any_of(state.services.begin(), state.services.end(),
                    [&](const model::ObservedService& service) { return service.id == id; });
    const rapidjson::Value* spec = member_of(item, "Spec");
    if (!ours && spec) state.foreign_services.push_back(string_member(*spec, "Name"));
  }
  return ok_status();
}

/// The environment's overlay networks, and those of another owner with one of its names. Only
/// the swarm's own: a node keeps a local copy of an overlay network while a task of a removed
/// service still detaches from it, and that copy is no network a service can join.
Status observe_networks(DockerApi& api, const model::DesiredState& desired,
                        model::ObservedState& state) {
  std::string prefix = desired.project + "-" + desired.environment;
  Result<rapidjson::Document> json = get_list(
      api, "/networks?filters=" + filters_query({{"name", {prefix}}, {"scope", {"swarm"}}}),
      "network");
  if (!json) return json.errors();
  for (const auto& item : json->GetArray()) {
    model::ObservedNetwork network{string_member(item, "Id"), string_member(item, "Name"),
                                   string_map_member(item, "Labels")};
    bool ours = network.labels[model::kLabelProject] == desired.project &&
                network.labels[model::kLabelEnvironment] == desired.environment;
    if (ours) {
      state.networks.push_back(std::move(network));
    } else {
      state.foreign_networks.push_back(network.name);
    }
  }
  return ok_status();
}

/// How many of each service's tasks run, and the newest task error.
Status observe_tasks(DockerApi& api, model::ObservedState& state) {
  if (state.services.empty()) return ok_status();
  std::vector<std::string> ids;
  for (const model::ObservedService& service : state.services) ids.push_back(service.id);
  Result<rapidjson::Document> tasks =
      get_list(api, "/tasks?filters=" + filters_query({{"service", ids}}), "task");
  if (!tasks) return tasks.errors();
  std::map<std::string, std::string> newest_error_time;
  for (const auto& task : tasks->GetArray()) {
    std::string service_id = string_member(task, "ServiceID");
    auto service = std::find_if(state.services.begin(), state.services.end(),
                                [&](const auto& service) { return service.id == service_id; });
    const rapidjson::Value* found = member_of(task, "Status");
    if (service == state.services.end() || found == nullptr) continue;
    const rapidjson::Value& status = *found;
    if (string_member(task, "DesiredState") == "running" &&
        string_member(status, "State") == "running")
      ++service->running_tasks;
    std::string error = string_member(status, "Err");
    std::string time = string_member(status, "Timestamp");  // RFC 3339 in UTC: sorts as text
    if (!error.empty() && time >= newest_error_time[service_id]) {
      newest_error_time[service_id] = time;
      service->last_task_error = error;
    }
  }
  return ok_status();
}

}  // namespace

Status require_swarm_manager(DockerApi& api, const std::string& environment) {
  Result<rapidjson::Document> info = get_docker_json(api, "/info");
  if (!info) return info.errors();
  const rapidjson::Value* swarm = member_of(*info, "Swarm");
  std::string node_state = swarm ? string_member(*swarm, "LocalNodeState") : "";
  const rapidjson::Value* control = swarm ? member_of(*swarm, "ControlAvailable") : nullptr;
  bool manager = control && control->IsBool() && control->GetBool();
  if (node_state == "active" && manager) return ok_status();
  std::string what = node_state == "active"
                         ? "a swarm worker, not a manager"
                         : "not part of a swarm (its swarm state: " +
                               (node_state.empty() ? "unknown" : node_state) + ")";
  return make_error(SourceLocation{}, "",
                    "environment " + environment + " has target: swarm, but the engine at " +
                        api.endpoint() + " is " + what,
                    "point environments." + environment +
                        ".engine at a manager ('docker node ls' on one lists them), or run "
                        "'docker swarm init' on this engine");
}

Result<model::ObservedState> observe_swarm(DockerApi& api, const model::DesiredState& desired) {
  if (Status manager = require_swarm_manager(api, desired.environment); !manager)
    return manager.errors();
  model::ObservedState state;
  // Networks first: services name them by id.
  if (Status networks = observe_networks(api, desired, state); !networks) return networks.errors();
  if (Status services = observe_services(api, desired, state); !services) return services.errors();
  if (Status tasks = observe_tasks(api, state); !tasks) return tasks.errors();
  return state;
}

}  // namespace run::docker
