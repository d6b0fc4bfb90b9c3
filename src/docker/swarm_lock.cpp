#include "docker/swarm_lock.h"

#include <rapidjson/document.h>

#include "core/json_text.h"
#include "docker/json_fields.h"

namespace run::docker {

namespace {

/// "lock" in base64: a config must hold some data, and what it holds says nothing.
constexpr const char* kLockData = "bG9jaw==";

class SwarmLockObjects final : public LockObjects {
 public:
  explicit SwarmLockObjects(DockerApi& api) : api_(api) {}

  Result<std::optional<std::string>> create(const std::string& name,
                                            const Labels& labels) override {
    std::string body = "{\"Name\":" + json_quote(name) + ",\"Labels\":" + json_string_map(labels) +
                       ",\"Data\":" + json_quote(kLockData) + "}";
    Result<DockerResponse> created = api_.request("POST", "/configs/create", body);
    if (created && created->status == 409) return std::optional<std::string>{};
    Result<std::string> answer = expect_success(created, "POST", "/configs/create", api_);
    if (!answer) return answer.errors();
    rapidjson::Document json;
    json.Parse(answer->c_str(), answer->size());
    std::string id = json.HasParseError() ? std::string() : string_member(json, "ID");
    return std::optional<std::string>{id.empty() ? name : id};
  }

  Result<std::optional<std::pair<std::string, Labels>>> find(const std::string& name) override {
    std::string path = "/configs/" + url_encode(name);
    Result<DockerResponse> response = api_.request("GET", path);
    if (response && response->status == 404) return std::optional<std::pair<std::string, Labels>>{};
    Result<std::string> body = expect_success(response, "GET", path, api_);
    if (!body) return body.errors();
    rapidjson::Document json;
    json.Parse(body->c_str(), body->size());
    const rapidjson::Value* spec = json.HasParseError() ? nullptr : member_of(json, "Spec");
    Labels labels = spec ? string_map_member(*spec, "Labels") : Labels{};
    std::string id = json.HasParseError() ? std::string() : string_member(json, "ID");
    return std::optional<std::pair<std::string, Labels>>{{id.empty() ? name : id, labels}};
  }

  Status remove(const std::string& id) override {
    std::string path = "/configs/" + url_encode(id);
    Result<DockerResponse> removed = api_.request("DELETE", path);
    if (removed && removed->status == 404) return ok_status();  // released already
    Result<std::string> answer = expect_success(removed, "DELETE", path, api_);
    if (!answer) return answer.errors();
    return ok_status();
  }

  std::string removal_path(const std::string& id) const override {
    return "/configs/" + url_encode(id);
  }
  DockerApi& api() override { return api_; }
  std::string kind() const override { return "swarm config"; }

 private:
  DockerApi& api_;
};

}  // namespace

std::shared_ptr<LockObjects> swarm_lock_objects(DockerApi& api) {
  return std::make_shared<SwarmLockObjects>(api);
}

}  // namespace run::docker
