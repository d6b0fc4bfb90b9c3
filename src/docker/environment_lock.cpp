#include "docker/environment_lock.h"

#include <pwd.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "core/json_text.h"
#include "core/this_process.h"
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
  std::string host = this_host();
  const char* actor = std::getenv("RUN_ACTOR");
  return (actor && *actor ? std::string(actor) : account_name()) + "@" +
         (host.empty() ? "unknown" : host);
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

Labels lock_labels(const std::string& project, const std::string& environment,
                   const std::string& command) {
  return {{kLabelLock, "1"},
          {"run.lock.project", project},
          {"run.lock.environment", environment},
          {"run.lock.holder", holder_name()},
          {"run.lock.pid", std::to_string(::getpid())},
          {"run.lock.command", command},
          {"run.lock.since", utc_now()}};
}

class ContainerLockObjects final : public LockObjects {
 public:
  explicit ContainerLockObjects(DockerApi& api) : api_(api) {}

  Result<std::optional<std::string>> create(const std::string& name,
                                            const Labels& labels) override {
    if (Status image = ensure_lock_image(api_); !image) return image.errors();
    std::string path = "/containers/create?name=" + url_encode(name);
    std::string body = "{\"Image\":" + json_quote(kLockImage) +
                       ",\"Cmd\":[\"lock\"],\"Labels\":" + json_string_map(labels) + "}";
    Result<DockerResponse> created = api_.request("POST", path, body);
    if (created && created->status == 409) return std::optional<std::string>{};
    Result<std::string> answer = expect_success(created, "POST", path, api_);
    if (!answer) return answer.errors();
    rapidjson::Document json;
    json.Parse(answer->c_str(), answer->size());
    bool has_id =
        !json.HasParseError() && json.IsObject() && json.HasMember("Id") && json["Id"].IsString();
    return std::optional<std::string>{has_id ? json["Id"].GetString() : name};
  }

  Result<std::optional<std::pair<std::string, Labels>>> find(const std::string& name) override {
    std::string path = "/containers/" + name + "/json";
    Result<DockerResponse> response = api_.request("GET", path);
    if (response && response->status == 404) return std::optional<std::pair<std::string, Labels>>{};
    Result<std::string> body = expect_success(response, "GET", path, api_);
    if (!body) return body.errors();
    rapidjson::Document json;
    json.Parse(body->c_str(), body->size());
    // Anything that is not a container's inspect has no run.lock label: "not a lock run made".
    const rapidjson::Value* config = json.HasParseError() ? nullptr : member_of(json, "Config");
    Labels labels = config ? string_map_member(*config, "Labels") : Labels{};
    std::string id = json.HasParseError() ? std::string() : string_member(json, "Id");
    if (id.empty()) id = name;
    return std::optional<std::pair<std::string, Labels>>{{id, labels}};
  }

  Status remove(const std::string& id) override { return remove_container(api_, id); }
  std::string removal_path(const std::string& id) const override {
    return "/containers/" + id + "?force=1";
  }
  DockerApi& api() override { return api_; }
  std::string kind() const override { return "container"; }

 private:
  DockerApi& api_;
};

/// The lock object's id and holder. An object that merely has the lock's name is someone
/// else's: never reported as a holder, and never removed by force-unlock.
Result<std::optional<std::pair<std::string, LockHolder>>> inspect_lock(LockObjects& objects,
                                                                       const std::string& name) {
  auto found = objects.find(name);
  if (!found) return found.errors();
  if (!*found) return std::optional<std::pair<std::string, LockHolder>>{};
  const Labels& labels = (*found)->second;
  auto label = [&](const char* key) {
    auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
  };
  if (label(kLabelLock) != "1")
    return make_error(
        SourceLocation{}, "",
        "a " + objects.kind() + " named " + name + " exists but is not a lock run made",
        "rename or remove that " + objects.kind() +
            "; run uses this name for the environment's lock");
  LockHolder holder{label("run.lock.holder"), label("run.lock.pid"), label("run.lock.command"),
                    label("run.lock.since")};
  return std::optional<std::pair<std::string, LockHolder>>{{(*found)->first, holder}};
}

}  // namespace

bool holder_gone(const LockHolder& holder) {
  std::size_t at = holder.holder.rfind('@');
  if (at == std::string::npos || holder.holder.substr(at + 1) != this_host()) return false;
  int pid = 0;
  auto [end, error] =
      std::from_chars(holder.pid.data(), holder.pid.data() + holder.pid.size(), pid);
  if (error != std::errc() || end != holder.pid.data() + holder.pid.size()) return false;
  return !process_exists(pid);
}

Diagnostic locked_error(const std::string& project, const std::string& environment,
                        const LockHolder& holder) {
  std::string unlock = "'run force-unlock --env " + environment + "'";
  std::string held = project + "/" + environment + " is locked by " + holder.holder + " (pid " +
                     holder.pid + ", " + holder.command + " since " + holder.since + ")";
  // Never removed silently: the user says so, knowing what the holder was doing.
  if (holder_gone(holder))
    return make_error(
        SourceLocation{}, "",
        held + "; that process no longer exists on this host: the lock is stale",
        "remove it with " + unlock + " (the next plan says what the interrupted run left undone)");
  return make_error(SourceLocation{}, "", held,
                    "wait for it to finish, pass --lock-timeout 5m to wait, or, if that run is "
                    "gone, " +
                        unlock);
}

std::string lock_name(const std::string& project, const std::string& environment) {
  return "run-lock-" + project + "-" + environment;
}

std::shared_ptr<LockObjects> container_lock_objects(DockerApi& api) {
  return std::make_shared<ContainerLockObjects>(api);
}

Result<EnvironmentLock> EnvironmentLock::acquire(std::shared_ptr<LockObjects> objects,
                                                 const std::string& project,
                                                 const std::string& environment,
                                                 const std::string& command,
                                                 std::chrono::milliseconds wait,
                                                 const std::atomic<bool>* stop) {
  Result<LockAttempt> attempt =
      try_acquire(std::move(objects), project, environment, command, wait, stop);
  if (!attempt) return attempt.errors();
  if (const LockHolder* holder = std::get_if<LockHolder>(&*attempt))
    return locked_error(project, environment, *holder);
  return std::get<EnvironmentLock>(std::move(*attempt));
}

Result<LockAttempt> EnvironmentLock::try_acquire(std::shared_ptr<LockObjects> objects,
                                                 const std::string& project,
                                                 const std::string& environment,
                                                 const std::string& command,
                                                 std::chrono::milliseconds wait,
                                                 const std::atomic<bool>* stop) {
  std::string name = lock_name(project, environment);
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    Result<std::optional<std::string>> created =
        objects->create(name, lock_labels(project, environment, command));
    if (!created) return created.errors();
    if (*created) return LockAttempt{EnvironmentLock(objects, **created)};
    bool stopped = stop && stop->load();
    if (stopped || std::chrono::steady_clock::now() >= deadline) {
      Result<std::optional<std::pair<std::string, LockHolder>>> holder =
          inspect_lock(*objects, name);
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
    : objects_(other.objects_), id_(std::move(other.id_)) {
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
  return objects_->remove(id);
}

std::function<void()> EnvironmentLock::releaser() const {
  if (id_.empty()) return [] {};
  std::shared_ptr<LockObjects> objects = objects_;
  std::string path = objects->removal_path(id_);
  return [objects, path] {
    (void)objects->api().request("DELETE", path, {}, std::chrono::seconds(5));
  };
}

Result<std::optional<LockHolder>> force_unlock(LockObjects& objects, const std::string& project,
                                               const std::string& environment) {
  Result<std::optional<std::pair<std::string, LockHolder>>> found =
      inspect_lock(objects, lock_name(project, environment));
  if (!found) return found.errors();
  if (!*found) return std::optional<LockHolder>{};
  if (Status removed = objects.remove((*found)->first); !removed) return removed.errors();
  return std::optional<LockHolder>{(*found)->second};
}

}  // namespace run::docker
