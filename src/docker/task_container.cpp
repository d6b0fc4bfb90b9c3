#include "docker/task_container.h"

#include <rapidjson/document.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "docker/engine_actions.h"
#include "docker/json_fields.h"
#include "model/names.h"

namespace run::docker {

namespace {

/// How long Docker may take to say the exit code of a container whose output ended.
constexpr std::chrono::seconds kWaitTimeout{30};

Diagnostic task_error(const TaskContainer& task, const std::string& message,
                      const std::string& hint = {}) {
  return make_error(SourceLocation{}, "", "task container " + task.name + ": " + message, hint);
}

/// Removes a stopped container of the same task a killed run left behind; refuses a running
/// one (the task runs already) and a container of that name that is not a task's.
Status clear_leftover(DockerApi& api, const TaskContainer& task) {
  std::string path = "/containers/" + url_encode(task.name) + "/json";
  Result<DockerResponse> response = api.request("GET", path);
  if (response && response->status == 404) return ok_status();
  Result<std::string> answer = expect_success(response, "GET", path, api);
  if (!answer) return answer.errors();
  rapidjson::Document json;
  json.Parse(answer->c_str(), answer->size());
  if (json.HasParseError() || !json.IsObject())
    return task_error(task, "Docker's answer to an inspect is not a JSON object");
  const rapidjson::Value* labels =
      json.HasMember("Config") && json["Config"].IsObject() && json["Config"].HasMember("Labels")
          ? &json["Config"]["Labels"]
          : nullptr;
  if (labels == nullptr || !labels->IsObject() || !labels->HasMember(model::kLabelTask))
    return task_error(task, "the name is taken by a container run did not make",
                      "rename or remove that container");
  bool running = json.HasMember("State") && json["State"].IsObject() &&
                 string_member(json["State"], "Status") == "running";
  if (running)
    return task_error(task, "the task is already running",
                      "wait for it to end, or stop it: docker rm -f " + task.name);
  return remove_container(api, string_member(json, "Id"));
}

Result<std::string> create_started(DockerApi& api, const TaskContainer& task) {
  Result<std::string> id = create_container(api, task.name, task.create_body);
  if (!id) return id;
  Status started = ok_status();
  for (const std::string& network : task.networks) {
    started = connect_network(api, network, *id, "");
    if (!started) break;
  }
  if (started) started = start_container(api, *id);
  if (started) return id;
  (void)remove_container(api, *id);  // the error being reported is the start's
  return started.errors();
}

/// Sets `cut` when `stop` is set or the deadline passes, until `done`; says which came.
class Watchdog {
 public:
  Watchdog(const std::atomic<bool>& stop, std::optional<std::chrono::milliseconds> timeout)
      : stop_(stop), thread_([this, timeout] { watch(timeout); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  const std::atomic<bool>& cut() const { return cut_; }
  bool timed_out() const { return timed_out_.load(); }

 private:
  void watch(std::optional<std::chrono::milliseconds> timeout) {
    auto deadline = timeout ? std::chrono::steady_clock::now() + *timeout
                            : std::chrono::steady_clock::time_point::max();
    std::unique_lock lock(mutex_);
    while (!done_) {
      if (stop_.load()) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        timed_out_ = true;
        break;
      }
      changed_.wait_for(lock, std::chrono::milliseconds(100));
    }
    cut_ = !done_;
  }

  const std::atomic<bool>& stop_;
  std::atomic<bool> cut_{false};
  std::atomic<bool> timed_out_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  bool done_ = false;
  std::thread thread_;  ///< last: it starts once the members it reads exist
};

Result<int> exit_code_of(DockerApi& api, const std::string& id) {
  std::string path = "/containers/" + id + "/wait";
  Result<std::string> answer =
      expect_success(api.request("POST", path, "", kWaitTimeout), "POST", path, api);
  if (!answer) return answer.errors();
  rapidjson::Document json;
  json.Parse(answer->c_str(), answer->size());
  if (json.HasParseError() || !json.IsObject() || !json.HasMember("StatusCode") ||
      !json["StatusCode"].IsInt())
    return make_error(SourceLocation{}, "",
                      "wait for container " + id.substr(0, 12) + ": malformed answer");
  return json["StatusCode"].GetInt();
}

}  // namespace

Result<ContainerExit> run_task_container(DockerApi& api, const TaskContainer& task,
                                         const std::function<void(const LogLine&)>& on_line,
                                         const std::atomic<bool>& stop) {
  if (Status cleared = clear_leftover(api, task); !cleared) return cleared.errors();
  Result<std::string> id = create_started(api, task);
  if (!id) return id.errors();
  Status followed = ok_status();
  bool cut = false;
  bool timed_out = false;
  {
    Watchdog watchdog(stop, task.timeout);
    followed = follow_container_logs(api, *id, {}, on_line, watchdog.cut());
    cut = watchdog.cut().load();
    timed_out = watchdog.timed_out();
  }
  if (cut) {
    Status removed = remove_container(api, *id);
    if (!removed) return removed.errors();
    return ContainerExit{timed_out ? ContainerEnd::kTimedOut : ContainerEnd::kInterrupted, 0};
  }
  Result<int> code = followed ? exit_code_of(api, *id) : Result<int>(followed.errors());
  Status removed = remove_container(api, *id);
  if (!code) return code.errors();
  if (!removed) return removed.errors();
  return ContainerExit{ContainerEnd::kExited, *code};
}

}  // namespace run::docker
