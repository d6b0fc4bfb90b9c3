#include "apply/swarm_executor.h"

#include <rapidjson/document.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "core/json_text.h"
#include "docker/json_fields.h"
#include "docker/observe.h"
#include "docker/swarm_service_body.h"
#include "model/names.h"

namespace run::apply {

namespace {

using plan::Action;
using plan::ActionKind;
using plan::ResourceKind;
using Clock = std::chrono::steady_clock;

constexpr auto kPollInterval = std::chrono::milliseconds(250);
/// A create whose tasks failed this many times is failing, not slow: say so before the
/// timeout.
constexpr int kFailedTasksToGiveUp = 3;
/// How soon after an update the manager starts a rollout when it replaces tasks: it does so
/// at once; a wait this long without one means it found none to replace.
constexpr auto kNoRolloutAfter = std::chrono::seconds(5);

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// "2026-12-03T15:45:42.1188Z" with its fraction padded to nine digits, so that two of the
/// manager's timestamps compare as text.
std::string sortable_time(const std::string& time) {
  std::size_t dot = time.find('.');
  std::size_t zone = time.find_first_of("Z+", time.find('T'));
  if (zone == std::string::npos) return time;
  std::string fraction = dot == std::string::npos ? "" : time.substr(dot + 1, zone - dot - 1);
  fraction.resize(9, '0');
  return time.substr(0, dot == std::string::npos ? zone : dot) + "." + fraction + time.substr(zone);
}

/// One service the executor created or updated and now waits for.
struct Rollout {
  std::size_t index = 0;
  std::string id;
  bool restarts_tasks = true;
  std::string previous_start;  ///< UpdateStatus.StartedAt before the update: a new one differs
  Clock::time_point started;
  std::string last_progress;
  bool done = false;
};

/// What the manager says of a service's rollout right now.
struct RolloutView {
  std::string update_state;
  std::string update_started;
  std::string update_message;
  int wanted = -1;  ///< replicas, or completions of a job; -1 for global: as many as run
  bool job = false;
  int running = 0;    ///< tasks that should run and do
  int pending = 0;    ///< tasks that should run and do not yet
  int completed = 0;  ///< of a job
  int updated = 0;    ///< running tasks made since the update started
  int failed = 0;     ///< tasks that failed or were rejected since the rollout started
  std::string error;  ///< the newest of their errors
};

class SwarmExecutor {
 public:
  SwarmExecutor(const plan::Plan& plan, SwarmExecution& context) : plan_(plan), context_(context) {
    report_.results.resize(plan.actions.size());
  }

  ExecutionReport run() {
    for (std::size_t i = 0; i < plan_.actions.size(); ++i)
      if (is_network(i, ActionKind::kCreate)) run_network(i);
    for (std::size_t i = 0; i < plan_.actions.size(); ++i)
      if (is_service(i) && plan_.actions[i].kind != ActionKind::kRemove) start_service(i);
    wait_for_rollouts();
    remove_services();
    for (std::size_t i = 0; i < plan_.actions.size(); ++i)
      if (is_network(i, ActionKind::kRemove)) run_network(i);
    report_.interrupted = context_.stop_requested.load();
    return std::move(report_);
  }

 private:
  bool is_network(std::size_t i, ActionKind kind) const {
    return plan_.actions[i].resource == ResourceKind::kNetwork && plan_.actions[i].kind == kind;
  }
  bool is_service(std::size_t i) const {
    return plan_.actions[i].resource == ResourceKind::kService;
  }

  bool begin(std::size_t i) {
    if (context_.stop_requested.load()) {
      finish(i, ActionState::kSkipped, "interrupted before it started", Clock::now());
      return false;
    }
    report_.results[i].state = ActionState::kRunning;
    context_.progress.started(i, plan_.actions[i]);
    return true;
  }

  void finish(std::size_t i, ActionState state, std::string message, Clock::time_point start,
              std::vector<std::string> diagnostics = {}) {
    ActionResult& result = report_.results[i];
    result.state = state;
    result.message = std::move(message);
    result.seconds = seconds_since(start);
    result.diagnostics = std::move(diagnostics);
    context_.progress.finished(i, plan_.actions[i], result);
  }

  void finish_with(std::size_t i, const Result<std::string>& answer, Clock::time_point start) {
    if (answer) {
      finish(i, ActionState::kDone, "", start);
    } else {
      finish(i, ActionState::kFailed, answer.errors().front().message, start);
    }
  }

  Result<std::string> send(std::string_view method, const std::string& path,
                           const std::string& body = {}) {
    return docker::expect_success(context_.api.request(method, path, body), method, path,
                                  context_.api);
  }

  void run_network(std::size_t i) {
    const Action& action = plan_.actions[i];
    if (!begin(i)) return;
    auto start = Clock::now();
    if (action.kind == ActionKind::kRemove) {
      finish_with(i, remove_network(action.existing_id), start);
      return;
    }
    std::string written = written_network_name(action.name);
    std::map<std::string, std::string> labels = {
        {model::kLabelProject, context_.desired.project},
        {model::kLabelEnvironment, context_.desired.environment},
        {model::kLabelResource, written}};
    bool internal = false;
    for (const model::NetworkSpec& network : context_.desired.networks)
      if (network.name == written) {
        internal = network.internal;
        for (const auto& [key, value] : network.labels) labels.emplace(key, value);
      }
    std::string body = "{\"Name\":" + json_quote(action.name) +
                       ",\"Driver\":\"overlay\",\"Attachable\":true,\"CheckDuplicate\":true" +
                       (internal ? ",\"Internal\":true" : "") +
                       ",\"Labels\":" + docker::json_string_map(labels) + "}";
    Result<std::string> created = send("POST", "/networks/create", body);
    if (!created) failed_networks_ = true;
    finish_with(i, created, start);
  }

  /// A network whose last task is still detaching on some node answers "has active
  /// endpoints" for a moment: asked again until the wait timeout.
  Result<std::string> remove_network(const std::string& id) {
    auto deadline = Clock::now() + context_.options.wait_timeout;
    while (true) {
      Result<docker::DockerResponse> removed = context_.api.request("DELETE", "/networks/" + id);
      if (removed && removed->status == 404) return std::string();
      Result<std::string> answer =
          docker::expect_success(removed, "DELETE", "/networks/" + id, context_.api);
      bool busy =
          !answer && answer.errors().front().message.find("active endpoints") != std::string::npos;
      if (answer || !busy || Clock::now() >= deadline || context_.stop_requested.load())
        return answer;
      std::this_thread::sleep_for(kPollInterval);
    }
  }

  std::string written_network_name(const std::string& docker_name) const {
    for (const model::NetworkSpec& network : context_.desired.networks)
      if (model::network_name(context_.desired.project, context_.desired.environment,
                              network.name) == docker_name)
        return network.name;
    return docker_name;
  }

  std::string body_for(const Action& action) const {
    const model::ServiceSpec* spec = context_.desired.find_service(action.service);
    docker::SwarmServicePlacement placement{context_.desired.project, context_.desired.environment,
                                            context_.deployment, action.force_update};
    return docker::swarm_service_body(*spec, placement);
  }

  /// UpdateStatus.StartedAt of a service now: what a new rollout's start differs from.
  std::string update_started(const std::string& id) {
    Result<rapidjson::Document> json = docker::get_docker_json(context_.api, "/services/" + id);
    const rapidjson::Value* status = json ? docker::member_of(*json, "UpdateStatus") : nullptr;
    return status ? docker::string_member(*status, "StartedAt") : std::string();
  }

  void start_service(std::size_t i) {
    const Action& action = plan_.actions[i];
    if (!begin(i)) return;
    auto start = Clock::now();
    if (failed_networks_) {
      finish(i, ActionState::kSkipped, "a network of the environment could not be made", start);
      return;
    }
    Rollout rollout{i, action.existing_id, action.restarts_tasks, {}, start, {}, false};
    if (action.kind == ActionKind::kCreate) {
      Result<std::string> created = send("POST", "/services/create", body_for(action));
      if (!created) return finish_with(i, created, start);
      rapidjson::Document json;
      json.Parse(created->c_str(), created->size());
      rollout.id = json.HasParseError() ? std::string() : docker::string_member(json, "ID");
    } else {
      rollout.previous_start = update_started(action.existing_id);
      std::string path = "/services/" + action.existing_id +
                         "/update?version=" + std::to_string(action.service_version);
      Result<std::string> updated = send("POST", path, body_for(action));
      if (!updated) return finish(i, ActionState::kFailed, update_failure(updated, action), start);
    }
    rollouts_.push_back(std::move(rollout));
  }

  static std::string update_failure(const Result<std::string>& updated, const Action& action) {
    const std::string& message = updated.errors().front().message;
    if (message.find("out of sequence") == std::string::npos) return message;
    return "the plan is stale: service " + action.name +
           " was changed since this plan was made (the manager answered: update out of "
           "sequence); run 'run plan' again";
  }

  /// Every removal is sent, then each is waited for: a removed service's tasks stop on their
  /// nodes after the manager forgot the service, and until they did, its networks cannot be
  /// removed.
  void remove_services() {
    std::vector<std::pair<std::size_t, Clock::time_point>> stopping;
    for (std::size_t i = 0; i < plan_.actions.size(); ++i) {
      if (!is_service(i) || plan_.actions[i].kind != ActionKind::kRemove || !begin(i)) continue;
      auto start = Clock::now();
      std::string path = "/services/" + plan_.actions[i].existing_id;
      Result<docker::DockerResponse> removed = context_.api.request("DELETE", path);
      if (!removed || removed->status != 404) {
        Result<std::string> answer = docker::expect_success(removed, "DELETE", path, context_.api);
        if (!answer) {
          finish_with(i, answer, start);
          continue;
        }
      }
      stopping.emplace_back(i, start);
    }
    while (!stopping.empty()) {
      Result<std::map<std::string, int>> live = live_tasks();
      for (auto it = stopping.begin(); it != stopping.end();) {
        auto [i, start] = *it;
        int left = live ? (*live)[plan_.actions[i].existing_id] : 0;
        bool late = Clock::now() - start >= context_.options.wait_timeout;
        if (!live) {
          finish_with(i, Result<std::string>(live.errors()), start);
        } else if (left == 0 || context_.stop_requested.load()) {
          finish(i, ActionState::kDone, "", start);
        } else if (late) {
          finish(i, ActionState::kFailed,
                 "removed, but " + std::to_string(left) +
                     " of its tasks were still stopping after " +
                     std::to_string(context_.options.wait_timeout.count()) + " s",
                 start);
        } else {
          context_.progress.step(i, plan_.actions[i], std::to_string(left) + " tasks stopping");
          ++it;
          continue;
        }
        it = stopping.erase(it);
      }
      if (!stopping.empty()) std::this_thread::sleep_for(kPollInterval);
    }
  }

  /// Per service id, its tasks that have not stopped yet. The whole list, filtered here: the
  /// manager answers a filter naming a removed service with a 404.
  Result<std::map<std::string, int>> live_tasks() {
    static const std::set<std::string> kStopped = {"complete", "shutdown", "failed",
                                                   "rejected", "orphaned", "remove"};
    Result<rapidjson::Document> tasks = docker::get_docker_json(context_.api, "/tasks");
    if (!tasks) return tasks.errors();
    std::map<std::string, int> live;
    if (!tasks->IsArray()) return live;
    for (const auto& task : tasks->GetArray()) {
      const rapidjson::Value* status = docker::member_of(task, "Status");
      if (status && !kStopped.count(docker::string_member(*status, "State")))
        ++live[docker::string_member(task, "ServiceID")];
    }
    return live;
  }

  Result<RolloutView> view_of(const Rollout& rollout) {
    Result<rapidjson::Document> service =
        docker::get_docker_json(context_.api, "/services/" + rollout.id);
    if (!service) return service.errors();
    RolloutView view;
    using docker::member_of;
    if (const rapidjson::Value* update = member_of(*service, "UpdateStatus")) {
      view.update_state = docker::string_member(*update, "State");
      view.update_started = docker::string_member(*update, "StartedAt");
      view.update_message = docker::string_member(*update, "Message");
    }
    const rapidjson::Value* spec = member_of(*service, "Spec");
    const rapidjson::Value* mode = spec ? member_of(*spec, "Mode") : nullptr;
    if (const rapidjson::Value* replicated = mode ? member_of(*mode, "Replicated") : nullptr)
      view.wanted = static_cast<int>(docker::integer_member(*replicated, "Replicas", -1));
    if (const rapidjson::Value* job = mode ? member_of(*mode, "ReplicatedJob") : nullptr) {
      view.job = true;
      view.wanted = static_cast<int>(docker::integer_member(*job, "TotalCompletions", 1));
    }
    Result<rapidjson::Document> tasks = docker::get_docker_json(
        context_.api, "/tasks?filters=" + docker::filters_query({{"service", {rollout.id}}}));
    if (!tasks) return tasks.errors();
    if (!tasks->IsArray()) return view;
    std::string since = sortable_time(view.update_started);
    std::string newest_error;
    for (const auto& task : tasks->GetArray()) {
      const rapidjson::Value* status = member_of(task, "Status");
      if (status == nullptr) continue;
      std::string desired = docker::string_member(task, "DesiredState");
      std::string state = docker::string_member(*status, "State");
      std::string created = sortable_time(docker::string_member(task, "CreatedAt"));
      if (state == "complete") ++view.completed;
      if (desired == "running" && state == "running") {
        ++view.running;
        if (created >= since) ++view.updated;
      } else if (desired == "running" ||
                 (view.job && desired == "complete" && state != "complete")) {
        ++view.pending;
      }
      std::string error = docker::string_member(*status, "Err");
      bool failed = state == "failed" || state == "rejected";
      if (failed && created >= since) ++view.failed;
      std::string time = sortable_time(docker::string_member(*status, "Timestamp"));
      if (!error.empty() && time >= newest_error) {
        newest_error = time;
        view.error = error;
      }
    }
    return view;
  }

  /// Done, failed (with why), or still going (nullopt), and the progress text.
  std::optional<std::pair<ActionState, std::string>> judge(Rollout& rollout,
                                                           const RolloutView& view,
                                                           std::string& progress) const {
    bool new_rollout = rollout.restarts_tasks && !view.update_started.empty() &&
                       view.update_started != rollout.previous_start;
    int wanted = view.wanted < 0 ? view.running + view.pending : view.wanted;
    if (view.job) {
      progress = std::to_string(view.completed) + "/" + std::to_string(wanted) + " tasks completed";
      if (view.completed >= wanted) return std::pair{ActionState::kDone, std::string()};
    } else if (plan_.actions[rollout.index].kind == ActionKind::kUpdate && rollout.restarts_tasks) {
      progress = std::to_string(new_rollout ? view.updated : 0) + "/" + std::to_string(wanted) +
                 " tasks updated";
    } else {
      progress = std::to_string(view.running) + "/" + std::to_string(wanted) + " tasks running";
    }
    std::string why = view.error.empty() ? view.update_message : view.error;
    if (new_rollout && (view.update_state == "paused" || view.update_state == "rollback_paused"))
      return std::pair{ActionState::kFailed, "the manager paused the rollout: " + why};
    if (new_rollout && view.update_state.starts_with("rollback"))
      return std::pair{ActionState::kFailed,
                       "the manager rolled the update back (" + view.update_state + "): " + why};
    if (view.failed >= kFailedTasksToGiveUp && !new_rollout)
      return std::pair{ActionState::kFailed, "its tasks keep failing: " + why};
    bool settled = view.running == wanted && view.pending == 0;
    // Some changes of a task's spec (placement a running task still meets, the endpoint's
    // mode) leave its tasks as they are: no rollout starts, and a settled service that none
    // began for is converged.
    if (rollout.restarts_tasks && !new_rollout && settled && !view.job &&
        Clock::now() - rollout.started >= kNoRolloutAfter)
      return std::pair{ActionState::kDone, std::string()};
    bool rolled = !rollout.restarts_tasks ||
                  plan_.actions[rollout.index].kind == ActionKind::kCreate ||
                  (new_rollout && view.update_state == "completed");
    if (!view.job && settled && rolled) return std::pair{ActionState::kDone, std::string()};
    return std::nullopt;
  }

  void wait_for_rollouts() {
    std::size_t left = rollouts_.size();
    while (left > 0) {
      for (Rollout& rollout : rollouts_) {
        if (rollout.done) continue;
        if (context_.stop_requested.load()) {
          finish_rollout(rollout, ActionState::kFailed,
                         "interrupted while waiting: the manager goes on rolling it out");
          --left;
          continue;
        }
        Result<RolloutView> view = view_of(rollout);
        if (!view) {
          finish_rollout(rollout, ActionState::kFailed, view.errors().front().message);
          --left;
          continue;
        }
        std::string progress;
        auto verdict = judge(rollout, *view, progress);
        if (progress != rollout.last_progress) {
          rollout.last_progress = progress;
          context_.progress.step(rollout.index, plan_.actions[rollout.index], progress);
        }
        if (!verdict && Clock::now() - rollout.started >= context_.options.wait_timeout)
          verdict = std::pair{ActionState::kFailed,
                              "not converged after " +
                                  std::to_string(context_.options.wait_timeout.count()) + " s (" +
                                  progress + ")" + (view->error.empty() ? "" : ": " + view->error)};
        if (!verdict) continue;
        std::vector<std::string> diagnostics;
        if (verdict->first == ActionState::kFailed && !view->error.empty())
          diagnostics.push_back("last task error: " + view->error);
        finish_rollout(rollout, verdict->first, verdict->second, std::move(diagnostics));
        --left;
      }
      if (left > 0) std::this_thread::sleep_for(kPollInterval);
    }
  }

  void finish_rollout(Rollout& rollout, ActionState state, std::string message,
                      std::vector<std::string> diagnostics = {}) {
    rollout.done = true;
    finish(rollout.index, state, std::move(message), rollout.started, std::move(diagnostics));
  }

  const plan::Plan& plan_;
  SwarmExecution& context_;
  ExecutionReport report_;
  std::vector<Rollout> rollouts_;
  bool failed_networks_ = false;
};

}  // namespace

ExecutionReport execute_on_swarm(const plan::Plan& plan, SwarmExecution& context) {
  return SwarmExecutor(plan, context).run();
}

}  // namespace run::apply
