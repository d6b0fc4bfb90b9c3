#include "docker/observe.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "core/bounded_parallel.h"
#include "docker/environment_lock.h"
#include "docker/health_log.h"
#include "docker/json_fields.h"
#include "model/names.h"

namespace run::docker {

namespace {

using model::ObservedContainer;
using Filters = std::vector<std::pair<std::string, std::vector<std::string>>>;

constexpr std::size_t kParallelInspects = 4;

/// The JSON of a successful answer to GET `path`; any other answer is an error naming Docker.
Result<rapidjson::Document> json_of(DockerApi& api, const std::string& path,
                                    const Result<DockerResponse>& response) {
  Result<std::string> body = expect_success(response, "GET", path, api);
  if (!body) return body.errors();
  rapidjson::Document json;
  json.Parse(body->c_str(), body->size());
  if (json.HasParseError())
    return make_error(SourceLocation{}, "",
                      "Docker at " + api.endpoint() + " sent malformed JSON for GET " +
                          path.substr(0, path.find('?')));
  return json;
}

Result<rapidjson::Document> get_json(DockerApi& api, const std::string& path) {
  return json_of(api, path, api.request("GET", path));
}

std::map<std::string, std::string> labels_of(const rapidjson::Value& object,
                                             const char* name = "Labels") {
  std::map<std::string, std::string> labels;
  if (!object.IsObject()) return labels;
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsObject()) return labels;
  for (const auto& label : it->value.GetObject())
    if (label.value.IsString()) labels[label.name.GetString()] = label.value.GetString();
  return labels;
}

/// "Up 3 minutes (healthy)" -> "healthy"; the list call carries health only in this text.
std::string health_of(const std::string& status) {
  if (status.find("(healthy)") != std::string::npos) return "healthy";
  if (status.find("(unhealthy)") != std::string::npos) return "unhealthy";
  if (status.find("(health: starting)") != std::string::npos) return "starting";
  return {};
}

ObservedContainer container_of(const rapidjson::Value& item) {
  ObservedContainer container;
  container.id = string_member(item, "Id");
  auto names = item.FindMember("Names");
  if (names != item.MemberEnd() && names->value.IsArray() && !names->value.Empty() &&
      names->value[0].IsString()) {
    std::string name = names->value[0].GetString();
    container.name = name.starts_with('/') ? name.substr(1) : name;
  }
  container.image = string_member(item, "Image");
  container.image_id = string_member(item, "ImageID");
  container.state = string_member(item, "State");
  container.health = health_of(string_member(item, "Status"));
  container.labels = labels_of(item);
  return container;
}

Result<std::vector<ObservedContainer>> list_containers(DockerApi& api, const Filters& filters) {
  Result<rapidjson::Document> json =
      get_json(api, "/containers/json?all=1&filters=" + filters_query(filters));
  if (!json) return json.errors();
  std::vector<ObservedContainer> containers;
  if (!json->IsArray())
    return make_error(SourceLocation{}, "",
                      "Docker at " + api.endpoint() + " sent an unexpected container list");
  for (const auto& item : json->GetArray()) containers.push_back(container_of(item));
  return containers;
}

/// `docker rm -f` leaves a container listed as "removing" for a moment, when it can be neither
/// started nor replaced under its name: a snapshot taken then plans a start that fails. The
/// list is read again every 100 ms, for up to 3 s, until no container in it is being removed.
Result<std::vector<ObservedContainer>> list_settled_containers(DockerApi& api,
                                                               const Filters& filters) {
  constexpr int kRereads = 30;
  constexpr std::chrono::milliseconds kPause{100};
  for (int reread = 0;; ++reread) {
    Result<std::vector<ObservedContainer>> listed = list_containers(api, filters);
    if (!listed || reread == kRereads) return listed;
    auto being_removed = [](const ObservedContainer& container) {
      return container.state == "removing";
    };
    if (std::none_of(listed->begin(), listed->end(), being_removed)) return listed;
    std::this_thread::sleep_for(kPause);
  }
}

/// An unhealthy container's last health check, so `run status` can say why without a call
/// of its own.
void read_health_check(const rapidjson::Value& inspect, ObservedContainer& container) {
  if (container.health != "unhealthy") return;
  auto state = inspect.FindMember("State");
  if (state == inspect.MemberEnd()) return;
  std::vector<model::HealthCheckOutput> last = health_outputs_of(state->value, 1);
  if (!last.empty()) container.last_health_check = last.back();
}

/// What a container's inspect found: its HostConfig read into it, or that it is gone.
enum class Inspected { kRead, kGone };

/// What `docker update` can change lives only in the container's HostConfig. A container
/// removed between the list and its inspect answers 404: it is gone, not an error.
Result<Inspected> read_host_config(DockerApi& api, ObservedContainer& container) {
  std::string path = "/containers/" + container.id + "/json";
  Result<DockerResponse> response = api.request("GET", path);
  if (response && response->status == 404) return Inspected::kGone;
  Result<rapidjson::Document> json = json_of(api, path, response);
  if (!json) return json.errors();
  read_health_check(*json, container);
  auto host = json->FindMember("HostConfig");
  if (host == json->MemberEnd() || !host->value.IsObject()) return Inspected::kRead;
  const rapidjson::Value& config = host->value;
  if (config.HasMember("NanoCpus") && config["NanoCpus"].IsInt64() &&
      config["NanoCpus"].GetInt64() > 0)
    container.cpus = static_cast<double>(config["NanoCpus"].GetInt64()) / 1e9;
  if (config.HasMember("Memory") && config["Memory"].IsInt64() && config["Memory"].GetInt64() > 0)
    container.memory_bytes = config["Memory"].GetInt64();
  if (config.HasMember("RestartPolicy")) {
    std::string name = string_member(config["RestartPolicy"], "Name");
    container.restart = name.empty() ? "no" : name;
  }
  return Inspected::kRead;
}

Filters owned_filters(const model::DesiredState& desired) {
  return {{"label",
           {std::string(model::kLabelProject) + "=" + desired.project,
            std::string(model::kLabelEnvironment) + "=" + desired.environment}}};
}

bool owned_by(const std::map<std::string, std::string>& labels,
              const model::DesiredState& desired) {
  auto project = labels.find(model::kLabelProject);
  auto environment = labels.find(model::kLabelEnvironment);
  return project != labels.end() && project->second == desired.project &&
         environment != labels.end() && environment->second == desired.environment;
}

std::string name_prefix(const model::DesiredState& desired) {
  return desired.project + "-" + desired.environment;
}

Status observe_containers(DockerApi& api, const model::DesiredState& desired,
                          model::ObservedState& state) {
  Result<std::vector<ObservedContainer>> owned =
      list_settled_containers(api, owned_filters(desired));
  if (!owned) return owned.errors();
  std::erase_if(*owned, [](const ObservedContainer& container) {
    return container.labels.count(model::kLabelTask) > 0;  // a task's one-off container
  });
  // One inspect per container, several in flight: the daemon answers them concurrently,
  // and in sequence they were most of a no-op plan's time.
  std::vector<Result<Inspected>> inspected(owned->size(), Inspected::kRead);
  for_each_bounded(owned->size(), kParallelInspects,
                   [&](std::size_t i) { inspected[i] = read_host_config(api, (*owned)[i]); });
  for (std::size_t i = 0; i < owned->size(); ++i) {
    if (!inspected[i]) return inspected[i].errors();
    if (*inspected[i] == Inspected::kRead) state.containers.push_back(std::move((*owned)[i]));
  }
  Result<std::vector<ObservedContainer>> named =
      list_containers(api, {{"name", {name_prefix(desired)}}});
  if (!named) return named.errors();
  for (ObservedContainer& container : *named) {
    bool lock = container.labels.count(kLabelLock) > 0;  // an apply's lock, not a clash
    if (!owned_by(container.labels, desired) && !lock)
      state.foreign_containers.push_back(std::move(container));
  }
  return ok_status();
}

Status observe_networks(DockerApi& api, const model::DesiredState& desired,
                        model::ObservedState& state) {
  Result<rapidjson::Document> json =
      get_json(api, "/networks?filters=" + filters_query({{"name", {name_prefix(desired)}}}));
  if (!json) return json.errors();
  if (!json->IsArray())
    return make_error(SourceLocation{}, "",
                      "Docker at " + api.endpoint() + " sent an unexpected network list");
  for (const auto& item : json->GetArray()) {
    model::ObservedNetwork network{string_member(item, "Id"), string_member(item, "Name"),
                                   labels_of(item)};
    if (owned_by(network.labels, desired)) {
      state.networks.push_back(std::move(network));
    } else {
      state.foreign_networks.push_back(network.name);
    }
  }
  return ok_status();
}

Status observe_volumes(DockerApi& api, const model::DesiredState& desired,
                       model::ObservedState& state) {
  Result<rapidjson::Document> json =
      get_json(api, "/volumes?filters=" + filters_query({{"name", {name_prefix(desired)}}}));
  if (!json) return json.errors();
  auto volumes = json->IsObject() ? json->FindMember("Volumes") : json->MemberEnd();
  if (!json->IsObject() || volumes == json->MemberEnd() || !volumes->value.IsArray())
    return ok_status();
  for (const auto& item : volumes->value.GetArray()) {
    model::ObservedVolume volume{string_member(item, "Name"), labels_of(item)};
    if (owned_by(volume.labels, desired)) {
      state.volumes.push_back(std::move(volume));
    } else {
      state.foreign_volumes.push_back(volume.name);
    }
  }
  return ok_status();
}

Status observe_images(DockerApi& api, const model::DesiredState& desired,
                      model::ObservedState& state) {
  std::set<std::string> images;
  for (const auto& service : desired.services) images.insert(service.image);
  for (const std::string& image : images) {
    std::string path = "/images/" + image + "/json";
    Result<DockerResponse> response = api.request("GET", path);
    if (response && response->status == 404) continue;  // not pulled yet
    Result<std::string> body = expect_success(response, "GET", path, api);
    if (!body) return body.errors();
    rapidjson::Document json;
    json.Parse(body->c_str(), body->size());
    std::string id = json.HasParseError() ? std::string() : string_member(json, "Id");
    if (!id.empty()) state.image_ids[image] = id;
  }
  return ok_status();
}

}  // namespace

Result<model::ObservedState> observe(DockerApi& api, const model::DesiredState& desired) {
  // The four steps fill separate parts of the state and only read from Docker, so they run
  // side by side: the daemon, not this process, is what a no-op plan waits for.
  using Step = Status (*)(DockerApi&, const model::DesiredState&, model::ObservedState&);
  constexpr Step kSteps[] = {observe_containers, observe_networks, observe_volumes, observe_images};
  model::ObservedState state;
  std::vector<Status> results(std::size(kSteps), ok_status());
  for_each_bounded(std::size(kSteps), std::size(kSteps),
                   [&](std::size_t i) { results[i] = kSteps[i](api, desired, state); });
  for (const Status& status : results)
    if (!status) return status.errors();
  return state;
}

Result<rapidjson::Document> get_docker_json(DockerApi& api, const std::string& path) {
  return get_json(api, path);
}

}  // namespace run::docker
