#include "docker/environment_lock.h"

#include <pwd.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <thread>

#include "core/json_text.h"
#include "docker/engine_actions.h"
#include "docker/json_fields.h"

namespace run::docker {

namespace {

constexpr const char* kLockImage = "run-lock:1";

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

/// The account name behind the process when the environment does not say: services, cron
/// jobs and containers often run without $USER, and "unknown@host" tells a colleague nothing.
std::string account_name() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  passwd entry{};
  passwd* found = nullptr;
  char buffer[1024];
  if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found)
    return found->pw_name;
  return "uid" + std::to_string(::geteuid());
}

std::string holder_name() {
  char host[256] = "unknown";
  ::gethostname(host, sizeof host - 1);
  const char* actor = std::getenv("RUN_ACTOR");
  return (actor && *actor ? std::string(actor) : account_name()) + "@" + host;
}

/// An empty tar archive: two 512-byte blocks of zeros. Imported once as the lock's image, so
/// the lock needs neither a registry nor any of the project's images.
std::string empty_tar() { return std::string(1024, '\0'); }

Status ensure_lock_image(DockerApi& api) {
  Result<DockerResponse> present =
      api.request("GET", std::string("/images/") + kLockImage + "/json");
  if (present && present->status == 200) return ok_status();
  std::string path = "/images/create?fromSrc=-&repo=run-lock&tag=1";
  Result<std::string> imported =
      expect_success(api.request("POST", path, empty_tar()), "POST", path, api);
  if (!imported) return imported.errors();
  std::string failure = stream_error(*imported);
  if (!failure.empty())
    return make_error(SourceLocation{}, "", "cannot make the lock image: " + failure);
  return ok_status();
}

std::string lock_body(const std::string& project, const std::string& environment,
                      const std::string& command) {
  std::map<std::string, std::string> labels = {{kLabelLock, "1"},
                                               {"run.lock.project", project},
                                               {"run.lock.environment", environment},
                                               {"run.lock.holder", holder_name()},
                                               {"run.lock.pid", std::to_string(::getpid())},
                                               {"run.lock.command", command},
                                               {"run.lock.since", utc_now()}};
  return "{\"Image\":" + json_quote(kLockImage) +
         ",\"Cmd\":[\"lock\"],\"Labels\":" + json_string_map(labels) + "}";
}

Result<std::optional<std::pair<std::string, LockHolder>>> inspect_lock(DockerApi& api,
                                                                       const std::string& name) {
  std::string path = "/containers/" + name + "/json";
  Result<DockerResponse> response = api.request("GET", path);
  if (response && response->status == 404)
    return std::optional<std::pair<std::string, LockHolder>>{};
  Result<std::string> body = expect_success(response, "GET", path, api);
  if (!body) return body.errors();
  rapidjson::Document json;
  json.Parse(body->c_str(), body->size());
  if (json.HasParseError() || !json.IsObject() || !json.HasMember("Config") ||
      !json["Config"].HasMember("Labels") || !json["Config"]["Labels"].IsObject())
    return make_error(SourceLocation{}, "", "the lock container " + name + " is not one run made");
  const rapidjson::Value& labels = json["Config"]["Labels"];
  // A container that merely has the lock's name is someone else's: never report it as a
  // holder, and never let force-unlock remove it.
  if (string_member(labels, kLabelLock) != "1")
    return make_error(
        SourceLocation{}, "", "a container named " + name + " exists but is not a lock run made",
        "rename or remove that container; run uses this name for the environment's lock");
  LockHolder holder{string_member(labels, "run.lock.holder"), string_member(labels, "run.lock.pid"),
                    string_member(labels, "run.lock.command"),
                    string_member(labels, "run.lock.since")};
  std::string id = json.HasMember("Id") && json["Id"].IsString() ? json["Id"].GetString() : name;
  return std::optional<std::pair<std::string, LockHolder>>{{id, holder}};
}

}  // namespace

Diagnostic locked_error(const std::string& project, const std::string& environment,
                        const LockHolder& holder) {
  return make_error(
      SourceLocation{}, "",
      project + "/" + environment + " is locked by " + holder.holder + " (pid " + holder.pid +
          ", " + holder.command + " since " + holder.since + ")",
      "wait for it to finish, pass --lock-timeout 5m to wait, or, if that run is gone, "
      "'run force-unlock --env " +
          environment + "'");
}

std::string lock_name(const std::string& project, const std::string& environment) {
  return "run-lock-" + project + "-" + environment;
}

Result<EnvironmentLock> EnvironmentLock::acquire(DockerApi& api, const std::string& project,
                                                 const std::string& environment,
                                                 const std::string& command,
                                                 std::chrono::milliseconds wait,
                                                 const std::atomic<bool>* stop) {
  Result<LockAttempt> attempt = try_acquire(api, project, environment, command, wait, stop);
  if (!attempt) return attempt.errors();
  if (const LockHolder* holder = std::get_if<LockHolder>(&*attempt))
    return locked_error(project, environment, *holder);
  return std::get<EnvironmentLock>(std::move(*attempt));
}

Result<LockAttempt> EnvironmentLock::try_acquire(DockerApi& api, const std::string& project,
                                                 const std::string& environment,
                                                 const std::string& command,
                                                 std::chrono::milliseconds wait,
                                                 const std::atomic<bool>* stop) {
  if (Status image = ensure_lock_image(api); !image) return image.errors();
  std::string name = lock_name(project, environment);
  std::string path = "/containers/create?name=" + url_encode(name);
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    Result<DockerResponse> created =
        api.request("POST", path, lock_body(project, environment, command));
    if (created && created->status == 201) {
      rapidjson::Document json;
      json.Parse(created->body.c_str(), created->body.size());
      std::string id = !json.HasParseError() && json.IsObject() && json.HasMember("Id")
                           ? json["Id"].GetString()
                           : name;
      return LockAttempt{EnvironmentLock(api, id)};
    }
    if (!created || created->status != 409)
      return expect_success(created, "POST", path, api).errors();
    bool stopped = stop && stop->load();
    if (stopped || std::chrono::steady_clock::now() >= deadline) {
      Result<std::optional<std::pair<std::string, LockHolder>>> holder = inspect_lock(api, name);
      if (!holder) return holder.errors();
      if (!*holder && !stopped) continue;  // released just now: try again
      if (!*holder)
        return make_error(
            SourceLocation{}, "",
            "interrupted while waiting for the lock of " + project + "/" + environment);
      return LockAttempt{(*holder)->second};
    }
    // Short sleeps, so a Ctrl-C during a long --lock-timeout ends the wait promptly.
    for (int slice = 0; slice < 5 && !(stop && stop->load()); ++slice)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

EnvironmentLock::EnvironmentLock(EnvironmentLock&& other) noexcept
    : api_(other.api_), id_(std::move(other.id_)) {
  other.id_.clear();
}

EnvironmentLock::~EnvironmentLock() {
  // A destructor cannot report: a caller that cares calls release() and reads its Status.
  if (!id_.empty()) ignore_error(release());
}

Status EnvironmentLock::release() {
  if (id_.empty()) return ok_status();
  std::string id = std::move(id_);
  id_.clear();
  return remove_container(*api_, id);
}

std::function<void()> EnvironmentLock::releaser() const {
  DockerApi* api = api_;
  std::string path = "/containers/" + id_ + "?force=1";
  if (id_.empty()) return [] {};
  return [api, path] { (void)api->request("DELETE", path, {}, std::chrono::seconds(5)); };
}

Result<std::optional<LockHolder>> force_unlock(DockerApi& api, const std::string& project,
                                               const std::string& environment) {
  Result<std::optional<std::pair<std::string, LockHolder>>> found =
      inspect_lock(api, lock_name(project, environment));
  if (!found) return found.errors();
  if (!*found) return std::optional<LockHolder>{};
  if (Status removed = remove_container(api, (*found)->first); !removed) return removed.errors();
  return std::optional<LockHolder>{(*found)->second};
}

}  // namespace run::docker
