#include "apply/executor.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "apply/action_steps.h"
#include "docker/engine_actions.h"
#include "model/names.h"

namespace run::apply {

namespace {

using plan::Action;
using plan::ActionKind;
using plan::ResourceKind;
using Clock = std::chrono::steady_clock;

constexpr auto kGatePollInterval = std::chrono::milliseconds(250);

bool is_container(const Action& action) { return action.resource == ResourceKind::kContainer; }

std::string first_message(const Diagnostics& errors) {
  return errors.empty() ? "failed" : errors.front().message;
}

/// One dependency edge's readiness: "web waits for db to be healthy".
struct Gate {
  enum class State { kWaiting, kOpen, kFailed };
  State state = State::kWaiting;
  std::string reason;  ///< why it failed
  bool announced = false;
  std::optional<Clock::time_point> deadline;
  Clock::time_point next_check{};
};

using GateKey = std::pair<std::string, model::DependencyCondition>;

std::string condition_words(model::DependencyCondition condition) {
  switch (condition) {
    case model::DependencyCondition::kStarted:
      return "started";
    case model::DependencyCondition::kHealthy:
      return "healthy";
    case model::DependencyCondition::kCompletedSuccessfully:
      return "completed successfully";
  }
  return "ready";
}

class Scheduler {
 public:
  Scheduler(const plan::Plan& plan, ExecutionContext& context) : plan_(plan), context_(context) {
    report_.results.resize(plan.actions.size());
  }

  ExecutionReport run() {
    if (!run_builds()) {
      mark_pending_skipped(report_.interrupted ? "interrupted"
                                               : "a build failed: nothing deployed");
      return std::move(report_);
    }
    pull_images();
    run_in_order([](const Action& a) { return !is_container(a) && a.kind == ActionKind::kCreate; });
    run_containers();
    if (!report_.interrupted)
      run_in_order(
          [](const Action& a) { return !is_container(a) && a.kind == ActionKind::kRemove; });
    mark_pending_skipped(report_.interrupted ? "interrupted" : "not reached");
    return std::move(report_);
  }

 private:
  // ---- builds: first, in parallel; any failure ends the execution -------------------------

  /// Whether every build of the plan succeeded (true when there are none).
  bool run_builds() {
    std::vector<std::size_t> builds;
    for (std::size_t i = 0; i < plan_.actions.size(); ++i)
      if (plan_.actions[i].kind == ActionKind::kBuild) builds.push_back(i);
    if (builds.empty()) return true;
    std::atomic<std::size_t> next{0};
    auto work = [&] {
      for (std::size_t at; (at = next++) < builds.size();) {
        if (context_.stop_requested) return;
        execute_build(builds[at]);
      }
    };
    std::vector<std::thread> workers;
    std::size_t count = std::clamp<std::size_t>(context_.options.parallelism, 1, builds.size());
    for (std::size_t i = 0; i < count; ++i) workers.emplace_back(work);
    for (std::thread& worker : workers) worker.join();
    if (context_.stop_requested) report_.interrupted = true;
    for (std::size_t index : builds)
      if (report_.results[index].state != ActionState::kDone) return false;
    return true;
  }

  void execute_build(std::size_t index) {
    const Action& action = plan_.actions[index];
    const model::ServiceSpec* spec = context_.desired.find_service(action.service);
    context_.progress.started(index, action);
    auto start = Clock::now();
    Status built =
        spec == nullptr || context_.builder == nullptr
            ? make_error(SourceLocation{}, "", "no builder for " + action.name)
            : context_.builder->build(
                  *spec,
                  [&](const std::string& text) { context_.progress.step(index, action, text); },
                  context_.stop_requested);
    ActionResult result;
    result.state = built ? ActionState::kDone : ActionState::kFailed;
    if (!built) result.message = first_message(built.errors());
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::lock_guard lock(mutex_);
    report_.results[index] = result;
    context_.progress.finished(index, action, result);
  }

  // ---- images, networks and volumes: few and quick, one at a time ------------------------

  void pull_images() {
    for (const std::string& image : plan_.images_to_pull) {
      context_.progress.note("pulling image " + image);
      if (Status pulled = docker::pull_image(context_.api, image); !pulled)
        failed_images_[image] = first_message(pulled.errors());
    }
  }

  template <class Predicate>
  void run_in_order(Predicate selected) {
    for (std::size_t i = 0; i < plan_.actions.size(); ++i) {
      if (!selected(plan_.actions[i])) continue;
      if (context_.stop_requested) {
        report_.interrupted = true;
        return;
      }
      execute_one(i);
    }
  }

  void execute_one(std::size_t index) {
    const Action& action = plan_.actions[index];
    context_.progress.started(index, action);
    auto start = Clock::now();
    ActionResult result;
    try {
      Status status = run_action(action, context_, result.diagnostics);
      result.state = status ? ActionState::kDone : ActionState::kFailed;
      if (!status) result.message = first_message(status.errors());
    } catch (const std::exception& error) {
      result.state = ActionState::kFailed;
      result.message = error.what();
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::lock_guard lock(mutex_);
    report_.results[index] = result;
    context_.progress.finished(index, action, result);
    changed_.notify_all();
  }

  void finish_without_running(std::size_t index, ActionState state, std::string message) {
    report_.results[index] = ActionResult{state, std::move(message), 0, {}};
    context_.progress.finished(index, plan_.actions[index], report_.results[index]);
  }

  void mark_pending_skipped(const std::string& why) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < plan_.actions.size(); ++i)
      if (report_.results[i].state == ActionState::kPending)
        finish_without_running(i, ActionState::kSkipped, why);
  }

  // ---- containers: in parallel, behind dependency gates ----------------------------------

  void run_containers() {
    std::vector<std::thread> workers;
    std::size_t count = std::max<std::size_t>(1, context_.options.parallelism);
    for (std::size_t i = 0; i < count; ++i) workers.emplace_back([this] { work(); });
    schedule();
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    changed_.notify_all();
    for (std::thread& worker : workers) worker.join();
  }

  void work() {
    while (true) {
      std::size_t index = 0;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;
        index = queue_.front();
        queue_.pop_front();
      }
      execute_one(index);
    }
  }

  /// The main thread's loop: releases actions whose gates are open, fails those behind a
  /// failed gate, and polls the gates, until every container action has ended. Waiting here
  /// holds no worker, so a slow health check never starves the actions that could run.
  void schedule() {
    while (true) {
      bool stopping = context_.stop_requested.load();
      std::vector<GateKey> to_poll;
      {
        std::lock_guard lock(mutex_);
        if (stopping) {
          // Queued but not yet taken: they never started, so they end as skipped.
          report_.interrupted = true;
          for (std::size_t index : queue_) report_.results[index].state = ActionState::kPending;
          queue_.clear();
        } else {
          release_ready_actions(to_poll);
        }
        if (all_containers_ended(stopping)) return;
      }
      for (const GateKey& key : to_poll) poll_gate(key);
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, kGatePollInterval);
    }
  }

  bool all_containers_ended(bool stopping) const {
    for (std::size_t i = 0; i < plan_.actions.size(); ++i) {
      if (!is_container(plan_.actions[i])) continue;
      ActionState state = report_.results[i].state;
      if (state == ActionState::kRunning) return false;
      if (state == ActionState::kPending && !stopping) return false;
    }
    return true;
  }

  void release_ready_actions(std::vector<GateKey>& to_poll) {
    for (std::size_t i = 0; i < plan_.actions.size(); ++i) {
      const Action& action = plan_.actions[i];
      if (!is_container(action) || report_.results[i].state != ActionState::kPending) continue;
      Readiness readiness = readiness_of(action, to_poll);
      if (readiness.verdict == Readiness::Verdict::kWait) continue;
      if (readiness.verdict != Readiness::Verdict::kRun) {
        bool failed = readiness.verdict == Readiness::Verdict::kFail;
        finish_without_running(i, failed ? ActionState::kFailed : ActionState::kSkipped,
                               readiness.reason);
        continue;
      }
      report_.results[i].state = ActionState::kRunning;
      queue_.push_back(i);
      changed_.notify_all();
    }
  }

  /// Whether a pending action may run now, must wait for a gate, or never will, and why.
  struct Readiness {
    enum class Verdict { kRun, kWait, kFail, kSkip };
    Verdict verdict = Verdict::kRun;
    std::string reason;
  };

  bool is_image_failure(const Action& action) const {
    return failed_images_.count(action.image) > 0;
  }

  /// The gates still closed are added to `to_poll` when they are due for another look.
  Readiness readiness_of(const Action& action, std::vector<GateKey>& to_poll) {
    using Verdict = Readiness::Verdict;
    if (is_image_failure(action)) return {Verdict::kFail, failed_images_.at(action.image)};
    bool waiting = false;
    for (const model::Dependency& dependency : action.wait_for) {
      if (!service_actions_ended(dependency.service)) {
        waiting = true;
        continue;
      }
      if (std::string failed = failed_actions_of(dependency.service); !failed.empty())
        return {Verdict::kSkip, dependency.service + " failed (" + failed + ")"};
      Gate& gate = gates_[{dependency.service, dependency.condition}];
      if (gate.state == Gate::State::kFailed) return {Verdict::kSkip, gate.reason};
      if (gate.state == Gate::State::kWaiting) {
        waiting = true;
        if (Clock::now() >= gate.next_check)
          to_poll.emplace_back(dependency.service, dependency.condition);
      }
    }
    return waiting ? Readiness{Verdict::kWait, {}} : Readiness{};
  }

  bool service_actions_ended(const std::string& service) const {
    for (std::size_t i = 0; i < plan_.actions.size(); ++i) {
      const Action& action = plan_.actions[i];
      if (!is_container(action) || action.service != service || action.kind == ActionKind::kRemove)
        continue;
      ActionState state = report_.results[i].state;
      if (state == ActionState::kPending || state == ActionState::kRunning) return false;
    }
    return true;
  }

  std::string failed_actions_of(const std::string& service) const {
    for (std::size_t i = 0; i < plan_.actions.size(); ++i) {
      const Action& action = plan_.actions[i];
      if (!is_container(action) || action.service != service || action.kind == ActionKind::kRemove)
        continue;
      if (report_.results[i].state == ActionState::kFailed ||
          report_.results[i].state == ActionState::kSkipped)
        return report_.results[i].message;
    }
    return {};
  }

  /// Checks one gate against the daemon (outside the lock) and records what it found.
  void poll_gate(const GateKey& key) {
    const auto& [service, condition] = key;
    std::string description = service + " to be " + condition_words(condition);
    {
      std::lock_guard lock(mutex_);
      Gate& gate = gates_[key];
      if (gate.state != Gate::State::kWaiting || Clock::now() < gate.next_check) return;
      if (!gate.deadline) gate.deadline = Clock::now() + context_.options.wait_timeout;
      if (!gate.announced) context_.progress.note("waiting for " + description);
      gate.announced = true;
      gate.next_check = Clock::now() + kGatePollInterval;
    }
    std::pair<Gate::State, std::string> found = check_condition(service, condition);
    std::lock_guard lock(mutex_);
    Gate& gate = gates_[key];
    if (found.first == Gate::State::kWaiting && Clock::now() > *gate.deadline) {
      found = {Gate::State::kFailed,
               service + " was not " + condition_words(condition) + " within " +
                   std::to_string(context_.options.wait_timeout.count()) + " s"};
    }
    gate.state = found.first;
    gate.reason = found.second;
    if (gate.state == Gate::State::kOpen)
      context_.progress.note(service + " is " + condition_words(condition));
  }

  std::pair<Gate::State, std::string> check_condition(const std::string& service,
                                                      model::DependencyCondition condition) {
    Result<std::vector<std::string>> ids = docker::container_ids_with_labels(
        context_.api, {{model::kLabelProject, context_.desired.project},
                       {model::kLabelEnvironment, context_.desired.environment},
                       {model::kLabelService, service}});
    if (!ids) return {Gate::State::kFailed, first_message(ids.errors())};
    for (const std::string& id : *ids) {
      Result<docker::ContainerStatus> status = docker::container_status(context_.api, id);
      if (!status) return {Gate::State::kFailed, first_message(status.errors())};
      std::pair<Gate::State, std::string> verdict = judge(service, condition, *status);
      if (verdict.first != Gate::State::kOpen) return verdict;
    }
    return {Gate::State::kOpen, {}};
  }

  static std::pair<Gate::State, std::string> judge(const std::string& service,
                                                   model::DependencyCondition condition,
                                                   const docker::ContainerStatus& status) {
    using State = Gate::State;
    bool exited = status.state == "exited" || status.state == "dead";
    switch (condition) {
      case model::DependencyCondition::kStarted:
        if (status.state == "running") return {State::kOpen, {}};
        return exited ? std::pair{State::kFailed, service + " exited (code " +
                                                      std::to_string(status.exit_code) + ")"}
                      : std::pair{State::kWaiting, std::string()};
      case model::DependencyCondition::kHealthy:
        if (status.health == "healthy") return {State::kOpen, {}};
        if (status.health == "unhealthy") return {State::kFailed, service + " is unhealthy"};
        if (exited)
          return {State::kFailed,
                  service + " exited (code " + std::to_string(status.exit_code) + ")"};
        if (status.health.empty() && status.state == "running")
          return {State::kFailed, service + " has no health check, so it can never be healthy"};
        return {State::kWaiting, {}};
      case model::DependencyCondition::kCompletedSuccessfully:
        if (!exited) return {State::kWaiting, {}};
        if (status.exit_code == 0) return {State::kOpen, {}};
        return {State::kFailed, service + " exited with code " + std::to_string(status.exit_code)};
    }
    return {State::kWaiting, {}};
  }

  const plan::Plan& plan_;
  ExecutionContext& context_;
  ExecutionReport report_;
  std::map<std::string, std::string> failed_images_;
  std::map<GateKey, Gate> gates_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::size_t> queue_;
  bool closing_ = false;
};

}  // namespace

std::string_view to_string(ActionState state) {
  switch (state) {
    case ActionState::kPending:
      return "pending";
    case ActionState::kRunning:
      return "running";
    case ActionState::kDone:
      return "done";
    case ActionState::kFailed:
      return "failed";
    case ActionState::kSkipped:
      return "skipped";
  }
  return "pending";
}

std::size_t ExecutionReport::count(ActionState state) const {
  std::size_t n = 0;
  for (const ActionResult& result : results) n += result.state == state ? 1 : 0;
  return n;
}

ExecutionReport execute(const plan::Plan& plan, ExecutionContext& context) {
  return Scheduler(plan, context).run();
}

}  // namespace run::apply
