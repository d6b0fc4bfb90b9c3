#include "docker/engine_actions.h"

#include <rapidjson/document.h>

#include <thread>

#include "core/json_text.h"
#include "docker/json_fields.h"

namespace run::docker {

namespace {

constexpr std::chrono::minutes kPullTimeout{15};

/// Sends one request and keeps only success or Docker's reason, with `what` in front.
Result<std::string> call(DockerApi& api, std::string_view method, const std::string& path,
                         const std::string& body, const std::string& what,
                         std::chrono::milliseconds timeout = {}) {
  Result<std::string> answer =
      expect_success(api.request(method, path, body, timeout), method, path, api);
  if (answer) return answer;
  Diagnostics errors = answer.errors();
  for (Diagnostic& error : errors) error.message = what + ": " + error.message;
  return errors;
}

Status as_status(const Result<std::string>& result) {
  if (!result) return result.errors();
  return ok_status();
}

/// "nginx:1.25" -> ("nginx", "1.25"); "host:5000/app" -> ("host:5000/app", "latest").
std::pair<std::string, std::string> split_reference(const std::string& image) {
  std::size_t at = image.find('@');
  if (at != std::string::npos) return {image.substr(0, at), image.substr(at + 1)};
  std::size_t colon = image.rfind(':');
  std::size_t slash = image.rfind('/');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash))
    return {image, "latest"};
  return {image.substr(0, colon), image.substr(colon + 1)};
}

/// How long another client's removal of a container may take: a container on the vfs storage
/// driver copies and deletes its whole root filesystem.
constexpr std::chrono::seconds kRemovalWait{120};
constexpr std::chrono::milliseconds kRemovalPoll{100};

/// Waits until `id` is gone (its inspect answers 404).
Status wait_until_removed(DockerApi& api, const std::string& id) {
  auto deadline = std::chrono::steady_clock::now() + kRemovalWait;
  while (std::chrono::steady_clock::now() < deadline) {
    Result<DockerResponse> response = api.request("GET", "/containers/" + id + "/json");
    if (!response) return response.errors();
    if (response->status == 404) return ok_status();
    std::this_thread::sleep_for(kRemovalPoll);
  }
  return make_error(SourceLocation{}, "",
                    "remove container " + id.substr(0, 12) +
                        ": another removal of it was still in progress after " +
                        std::to_string(kRemovalWait.count()) + " s");
}

}  // namespace

Result<std::string> create_container(DockerApi& api, const std::string& name,
                                     const std::string& body) {
  Result<std::string> answer = call(api, "POST", "/containers/create?name=" + url_encode(name),
                                    body, "create container " + name);
  if (!answer) return answer;
  rapidjson::Document json;
  json.Parse(answer->c_str(), answer->size());
  std::string id = json.HasParseError() ? std::string() : string_member(json, "Id");
  if (id.empty())
    return make_error(SourceLocation{}, "",
                      "create container " + name + ": Docker's answer has no Id");
  return id;
}

Status start_container(DockerApi& api, const std::string& id) {
  return as_status(
      call(api, "POST", "/containers/" + id + "/start", "", "start container " + id.substr(0, 12)));
}

Status stop_container(DockerApi& api, const std::string& id, int timeout_seconds) {
  // The daemon waits up to the grace period before it kills; give the request that and more.
  auto timeout = std::chrono::seconds(timeout_seconds + 30);
  Result<DockerResponse> response = api.request(
      "POST", "/containers/" + id + "/stop?t=" + std::to_string(timeout_seconds), "", timeout);
  if (response && response->status == 304) return ok_status();  // already stopped
  // Gone: removed since it was observed, as by a removal that a killed run had asked for
  // and the daemon carried on with.
  if (response && response->status == 404) return ok_status();
  return as_status(expect_success(response, "POST", "/containers/" + id + "/stop", api));
}

Status remove_container(DockerApi& api, const std::string& id) {
  Result<DockerResponse> response = api.request("DELETE", "/containers/" + id + "?force=1");
  if (response && response->status == 404) return ok_status();  // already gone
  // Another client's removal is under way (the daemon goes on with what a killed run asked
  // for): what this removal wants happens all the same, so wait for it.
  if (response && response->status == 409 &&
      response->body.find("already in progress") != std::string::npos)
    return wait_until_removed(api, id);
  return as_status(expect_success(response, "DELETE", "/containers/" + id, api));
}

Status rename_container(DockerApi& api, const std::string& id, const std::string& new_name) {
  return as_status(call(api, "POST", "/containers/" + id + "/rename?name=" + url_encode(new_name),
                        "", "rename container to " + new_name));
}

Status update_container(DockerApi& api, const std::string& id, const std::string& body) {
  return as_status(call(api, "POST", "/containers/" + id + "/update", body,
                        "update container " + id.substr(0, 12)));
}

Status connect_network(DockerApi& api, const std::string& network, const std::string& container_id,
                       const std::string& alias) {
  std::string body = "{\"Container\":" + json_quote(container_id) +
                     ",\"EndpointConfig\":{\"Aliases\":[" + json_quote(alias) + "]}}";
  return as_status(call(api, "POST", "/networks/" + url_encode(network) + "/connect", body,
                        "connect to network " + network));
}

Result<ContainerStatus> container_status(DockerApi& api, const std::string& id) {
  Result<std::string> answer =
      call(api, "GET", "/containers/" + id + "/json", "", "inspect container " + id.substr(0, 12));
  if (!answer) return answer.errors();
  rapidjson::Document json;
  json.Parse(answer->c_str(), answer->size());
  if (json.HasParseError() || !json.IsObject() || !json.HasMember("State"))
    return make_error(SourceLocation{}, "",
                      "inspect container " + id.substr(0, 12) + ": malformed answer");
  const rapidjson::Value& state = json["State"];
  ContainerStatus status;
  status.state = string_member(state, "Status");
  if (state.HasMember("Health")) status.health = string_member(state["Health"], "Status");
  if (state.HasMember("ExitCode") && state["ExitCode"].IsInt())
    status.exit_code = state["ExitCode"].GetInt();
  return status;
}

Result<std::vector<std::string>> container_ids_with_labels(
    DockerApi& api, const std::map<std::string, std::string>& labels) {
  std::vector<std::string> filters;
  for (const auto& [key, value] : labels) filters.push_back(key + "=" + value);
  std::string path = "/containers/json?all=1&filters=" + filters_query({{"label", filters}});
  Result<std::string> answer = call(api, "GET", path, "", "list containers");
  if (!answer) return answer.errors();
  rapidjson::Document json;
  json.Parse(answer->c_str(), answer->size());
  std::vector<std::string> ids;
  if (json.HasParseError() || !json.IsArray())
    return make_error(SourceLocation{}, "", "list containers: malformed answer");
  for (const auto& item : json.GetArray()) ids.push_back(string_member(item, "Id"));
  return ids;
}

Status pull_image(DockerApi& api, const std::string& image) {
  auto [name, tag] = split_reference(image);
  std::string path = "/images/create?fromImage=" + url_encode(name) + "&tag=" + url_encode(tag);
  Result<std::string> stream = call(api, "POST", path, "", "pull image " + image, kPullTimeout);
  if (!stream) return stream.errors();
  std::string failure = stream_error(*stream);
  if (!failure.empty())
    return make_error(SourceLocation{}, "", "pull image " + image + ": " + failure);
  return ok_status();
}

Status create_network(DockerApi& api, const std::string& name,
                      const std::map<std::string, std::string>& labels, bool internal) {
  std::string body = "{\"Name\":" + json_quote(name) +
                     ",\"CheckDuplicate\":true,\"Internal\":" + (internal ? "true" : "false") +
                     ",\"Labels\":" + json_string_map(labels) + "}";
  return as_status(call(api, "POST", "/networks/create", body, "create network " + name));
}

Status remove_network(DockerApi& api, const std::string& name) {
  Result<DockerResponse> response = api.request("DELETE", "/networks/" + url_encode(name));
  if (response && response->status == 404) return ok_status();
  return as_status(expect_success(response, "DELETE", "/networks/" + name, api));
}

Status create_volume(DockerApi& api, const std::string& name,
                     const std::map<std::string, std::string>& labels) {
  std::string body =
      "{\"Name\":" + json_quote(name) + ",\"Labels\":" + json_string_map(labels) + "}";
  return as_status(call(api, "POST", "/volumes/create", body, "create volume " + name));
}

Status remove_volume(DockerApi& api, const std::string& name) {
  Result<DockerResponse> response = api.request("DELETE", "/volumes/" + url_encode(name));
  if (response && response->status == 404) return ok_status();
  return as_status(expect_success(response, "DELETE", "/volumes/" + name, api));
}

}  // namespace run::docker
