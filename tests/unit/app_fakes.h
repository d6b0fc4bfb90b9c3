#pragma once

// Fakes of the seams the use cases reach the outside through (app/workspace.h): an engine
// whose snapshot is a golden-case fixture and whose executor does what it is told, a record
// store in memory, and a workspace holding the project's files in memory.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "app/converge_view.h"
#include "app/workspace.h"
#include "config/desired_state_builder.h"
#include "docker/output_frames.h"
#include "history/result_json.h"
#include "history/state_json.h"
#include "observed_fixture.h"
#include "plan/planner.h"

namespace run::test {

/// The project every use-case test works on: one service, web, on the network shop-dev.
inline constexpr std::string_view kShopConfig =
    "version: \"2\"\n"
    "project: shop\n"
    "default_environment: dev\n"
    "services:\n"
    "  web:\n"
    "    image: busybox:web\n"
    "environments:\n"
    "  dev: {}\n"
    "  production: { protected: true }\n";

/// shop/dev running exactly as kShopConfig says.
inline constexpr std::string_view kShopInSync =
    R"({"images": {"busybox:web": "sha256:w1"}, "networks": ["shop-dev"], "volumes": [],
        "containers": [{"service": "web"}]})";
/// shop/dev with nothing made yet: a plan creates the network and the container.
inline constexpr std::string_view kShopEmpty =
    R"({"images": {"busybox:web": "sha256:w1"}, "networks": [], "volumes": [], "containers": []})";

/// What a fake interactive exec was given, kept past the session's end.
struct ExecSessionLog {
  std::mutex mutex;
  std::string input;  ///< everything sent to its stdin
  bool input_closed = false;
  std::vector<docker::TerminalSize> resizes;
};

/// An interactive exec as the fake engine runs it: a `cat` that first writes `greeting`,
/// then echoes its input back, and ends when its stdin closes (or right after the greeting,
/// `ends_by_itself`), with `exit_code`.
class FakeExecSession final : public docker::ExecSession {
 public:
  FakeExecSession(std::shared_ptr<ExecSessionLog> log, std::string greeting, bool ends_by_itself,
                  int exit_code)
      : log_(std::move(log)),
        pending_(std::move(greeting)),
        ends_by_itself_(ends_by_itself),
        exit_code_(exit_code) {}

  Status send_input(std::string_view bytes) override {
    std::lock_guard lock(log_->mutex);
    log_->input.append(bytes);
    pending_.append(bytes);
    changed_.notify_all();
    return ok_status();
  }
  void close_input() override {
    std::lock_guard lock(log_->mutex);
    log_->input_closed = true;
    changed_.notify_all();
  }
  Result<docker::StreamState> receive_output(const docker::OutputSink& on_output,
                                             std::chrono::milliseconds wait) override {
    std::unique_lock lock(log_->mutex);
    changed_.wait_for(lock, wait, [this] { return !pending_.empty() || ended(); });
    if (!pending_.empty()) {
      std::string bytes = std::exchange(pending_, {});
      lock.unlock();
      on_output(docker::LogStream::kStdout, bytes);
      return docker::StreamState::kOpen;
    }
    return ended() ? docker::StreamState::kEnded : docker::StreamState::kOpen;
  }
  Status resize(docker::TerminalSize size) override {
    std::lock_guard lock(log_->mutex);
    log_->resizes.push_back(size);
    return ok_status();
  }
  Result<int> exit_code() override { return exit_code_; }

 private:
  bool ended() const { return ends_by_itself_ || log_->input_closed; }

  std::shared_ptr<ExecSessionLog> log_;
  std::condition_variable changed_;
  std::string pending_;  // output not yet received
  bool ends_by_itself_;
  int exit_code_;
};

class FakeEngine final : public app::Engine {
 public:
  std::string observed_fixture = std::string(kShopEmpty);
  std::optional<docker::LockHolder> holder;  ///< set: another run holds the lock
  std::set<std::string> failing;             ///< names of actions whose execution fails
  int locks_taken = 0;
  int locks_released = 0;
  int executions = 0;
  std::vector<std::string> deployments;  ///< the deployment label of each execution
  std::map<std::string, std::vector<docker::LogLine>> logs;  ///< container id -> its lines
  /// The container ids whose logs were read or followed, with what was asked of each.
  std::vector<std::pair<std::string, docker::LogRequest>> log_requests;
  /// What an exec in a container writes and exits with, by container id; unscripted: an error.
  struct ExecAnswer {
    std::vector<docker::OutputChunk> output;
    int exit_code = 0;
  };
  std::map<std::string, ExecAnswer> exec_answers;
  /// Each exec asked for: the container id and the command.
  std::vector<std::pair<std::string, std::vector<std::string>>> execs;
  /// Interactive execs: how the fake session behaves, each one asked for (container id and
  /// spec), and what the last one was given.
  std::string session_greeting;
  bool session_ends_by_itself = false;
  int session_exit_code = 0;
  std::vector<std::pair<std::string, docker::ExecSessionSpec>> sessions;
  std::shared_ptr<ExecSessionLog> session_log = std::make_shared<ExecSessionLog>();

  Result<model::ObservedState> observe(const model::DesiredState& desired) override {
    return testing::load_observed_fixture(observed_fixture, desired);
  }
  plan::Plan plan(const model::DesiredState& desired, const model::ObservedState& observed,
                  const plan::PlanOptions& options) const override {
    return plan::make_plan(desired, observed, options);
  }
  Result<app::LockAttempt> try_lock(const std::string&, const std::string&, const std::string&,
                                    std::chrono::milliseconds, const std::atomic<bool>&) override {
    if (holder) return app::LockAttempt{*holder};
    ++locks_taken;
    return app::LockAttempt{std::make_unique<Lock>(*this)};
  }
  apply::ExecutionReport execute(const plan::Plan& plan,
                                 const app::ExecutionRequest& request) override {
    ++executions;
    calls.push_back("execute");
    deployments.push_back(request.deployment);
    apply::ExecutionReport report;
    for (std::size_t i = 0; i < plan.actions.size(); ++i) {
      const plan::Action& action = plan.actions[i];
      bool fails = failing.count(action.name) > 0;
      report.results.push_back({fails ? apply::ActionState::kFailed : apply::ActionState::kDone,
                                fails ? "the daemon said no" : "",
                                0.5,
                                {}});
      request.progress.started(i, action);
      request.progress.finished(i, action, report.results.back());
    }
    return report;
  }
  Result<std::optional<docker::LockHolder>> force_unlock(const std::string&,
                                                         const std::string&) override {
    return holder;
  }
  /// The scripted lines (the last `tail` of them); an unscripted container does not exist.
  Result<std::vector<docker::LogLine>> read_logs(const std::string& container_id,
                                                 const docker::LogRequest& request) override {
    std::lock_guard lock(logs_mutex_);  // followers run on threads of their own
    log_requests.emplace_back(container_id, request);
    auto found = logs.find(container_id);
    if (found == logs.end()) return usage_error("no such container: " + container_id);
    std::vector<docker::LogLine> lines = found->second;
    if (request.tail && static_cast<std::size_t>(*request.tail) < lines.size())
      lines.erase(lines.begin(), lines.end() - *request.tail);
    return lines;
  }
  /// Passes the scripted lines, looking at `stop` before each, then ends as a stopped
  /// container's stream does.
  Status follow_logs(const std::string& container_id, const docker::LogRequest& request,
                     const std::function<void(const docker::LogLine&)>& on_line,
                     const std::atomic<bool>& stop) override {
    Result<std::vector<docker::LogLine>> lines = read_logs(container_id, request);
    if (!lines) return lines.errors();
    for (const docker::LogLine& line : *lines) {
      if (stop.load()) return ok_status();
      on_line(line);
    }
    return ok_status();
  }
  /// What a task's container writes and how it ends, by task name; unscripted: exits 0.
  struct TaskAnswer {
    std::vector<std::string> lines;
    docker::ContainerExit exit;
    std::optional<std::string> error;  ///< the engine's error instead
  };
  std::map<std::string, TaskAnswer> task_answers;
  std::vector<app::TaskLaunch> task_launches;  ///< each task run, in order
  /// The order of executions and task runs: "execute", "task NAME".
  std::vector<std::string> calls;

  Result<docker::ContainerExit> run_task(const app::TaskLaunch& launch,
                                         const std::function<void(const docker::LogLine&)>& on_line,
                                         const std::atomic<bool>&) override {
    task_launches.push_back(launch);
    calls.push_back("task " + launch.task);
    TaskAnswer answer =
        task_answers.count(launch.task) ? task_answers.at(launch.task) : TaskAnswer{};
    if (answer.error) return usage_error(*answer.error);
    for (const std::string& text : answer.lines)
      on_line(docker::LogLine{docker::LogStream::kStdout, "", 0, text});
    return answer.exit;
  }

  Result<int> exec(const std::string& container_id, const std::vector<std::string>& command,
                   const docker::OutputSink& on_output, const std::atomic<bool>& stop) override {
    execs.emplace_back(container_id, command);
    auto found = exec_answers.find(container_id);
    if (found == exec_answers.end()) return usage_error("no such container: " + container_id);
    for (const docker::OutputChunk& chunk : found->second.output) {
      if (stop.load()) return docker::kInterruptedExitCode;
      on_output(chunk.stream, chunk.bytes);
    }
    return found->second.exit_code;
  }

  Result<std::unique_ptr<docker::ExecSession>> start_exec_session(
      const std::string& container_id, const docker::ExecSessionSpec& spec) override {
    sessions.emplace_back(container_id, spec);
    if (container_id.empty()) return usage_error("no such container");
    return std::unique_ptr<docker::ExecSession>(std::make_unique<FakeExecSession>(
        session_log, session_greeting, session_ends_by_itself, session_exit_code));
  }

 private:
  std::mutex logs_mutex_;

  class Lock final : public app::HeldLock {
   public:
    explicit Lock(FakeEngine& engine) : engine_(engine) {}
    ~Lock() override {
      if (!released_) ignore_error(release());
    }
    Status release() override {
      if (!released_) ++engine_.locks_released;
      released_ = true;
      return ok_status();
    }
    std::function<void()> releaser() const override {
      return [] {};
    }

   private:
    FakeEngine& engine_;
    bool released_ = false;
  };
};

/// Deployment records in memory, numbered per environment as HistoryStore numbers them.
class FakeRecordStore final : public history::RecordStore {
 public:
  history::SourceInfo source{"1111111111111111111111111111111111111111", false, ""};
  /// Every record appended, each as it is now (replace_latest updates it in place).
  std::vector<history::NewRecord> appended;
  /// Every rewrite of a record in progress, in order: how the apply recorded its progress.
  std::vector<history::NewRecord> replaced;

  Result<bool> has_history(const std::string& environment) const override {
    return !records_of(environment).empty();
  }
  Result<std::vector<history::RecordSummary>> list(const std::string& environment) const override {
    std::vector<history::RecordSummary> summaries;
    for (const history::Record& record : records_of(environment))
      summaries.insert(summaries.begin(), record.summary);
    return summaries;
  }
  Result<history::Record> read(const std::string& environment, int number) const override {
    for (const history::Record& record : records_of(environment))
      if (record.summary.number == number) return record;
    return usage_error("no record #" + std::to_string(number) + " of " + environment);
  }
  Result<std::optional<history::Record>> last_successful(
      const std::string& environment) const override {
    const std::vector<history::Record>& records = records_of(environment);
    for (auto it = records.rbegin(); it != records.rend(); ++it)
      if (it->summary.outcome == history::Outcome::kSucceeded &&
          history::is_deployment(it->summary.kind))
        return std::optional<history::Record>(*it);
    return std::optional<history::Record>();
  }
  Result<int> next_number(const std::string& environment) const override {
    return static_cast<int>(records_of(environment).size()) + 1;
  }
  Result<int> append(const history::NewRecord& record) override {
    appended.push_back(record);
    std::vector<history::Record>& records = records_[record.environment];
    records.push_back(stored(record, static_cast<int>(records.size()) + 1));
    return records.back().summary.number;
  }
  Result<std::optional<history::Record>> latest(const std::string& environment) const override {
    const std::vector<history::Record>& records = records_of(environment);
    if (records.empty()) return std::optional<history::Record>();
    return std::optional<history::Record>(records.back());
  }
  Status replace_latest(const history::NewRecord& record, int number) override {
    std::vector<history::Record>& records = records_[record.environment];
    if (records.empty() || records.back().summary.number != number)
      return usage_error("record #" + std::to_string(number) + " is not the newest");
    records.back() = stored(record, number);
    replaced.push_back(record);
    for (auto it = appended.rbegin(); it != appended.rend(); ++it)
      if (it->environment == record.environment) {
        *it = record;
        break;
      }
    return ok_status();
  }
  history::SourceInfo source_info() const override { return source; }

 private:
  static history::Record stored(const history::NewRecord& record, int number) {
    history::Record stored;
    history::RecordSummary& summary = stored.summary;
    summary.number = number;
    summary.environment = record.environment;
    summary.commit = "record-" + std::to_string(number);
    summary.author = "Test <test@example.com>";
    summary.time = record.result.finished_at;
    summary.outcome = record.result.outcome;
    summary.kind = record.result.kind;
    summary.rollback_of = record.result.rollback_of;
    summary.source_commit = record.result.source.commit;
    summary.summary = record.result.summary;
    stored.state_json = record.state_json;
    stored.plan_json = record.plan_json;
    stored.result_json = history::result_to_json(record.result, number, record.environment);
    return stored;
  }
  const std::vector<history::Record>& records_of(const std::string& environment) const {
    static const std::vector<history::Record> kNone;
    auto found = records_.find(environment);
    return found == records_.end() ? kNone : found->second;
  }
  std::map<std::string, std::vector<history::Record>> records_;
};

/// A build context in memory: path -> content, every file a plain one.
class MemoryContextTree final : public build::ContextTree {
 public:
  explicit MemoryContextTree(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  Result<std::vector<build::ContextEntry>> walk() const override {
    std::vector<build::ContextEntry> entries;
    for (const auto& [path, content] : files_)
      entries.push_back(
          build::ContextEntry{path, build::EntryType::kFile, false, content.size(), ""});
    return entries;
  }
  Status read(const std::string& path, const build::ContentSink& sink) const override {
    auto it = files_.find(path);
    if (it == files_.end()) return usage_error(path + " vanished");
    sink(it->second);
    return ok_status();
  }

 private:
  std::map<std::string, std::string> files_;
};

/// A project in memory: its files, one record store and one engine, shared by every open.
class FakeWorkspace final : public app::Workspace {
 public:
  std::map<std::string, std::string> files{{"run-config.yaml", std::string(kShopConfig)}};
  config::VariableMap variables;
  std::optional<std::string> environment;  ///< --env
  std::string fetched_commit = "2222222222222222222222222222222222222222";
  std::optional<std::string> fetch_error;                  ///< set: every fetch fails with it
  mutable std::vector<history::FetchLimits> fetch_limits;  ///< what each fetch was given
  std::shared_ptr<FakeRecordStore> store = std::make_shared<FakeRecordStore>();
  std::shared_ptr<FakeEngine> fake_engine = std::make_shared<FakeEngine>();
  mutable std::map<std::string, std::string> written;  ///< replace_file: path -> text
  mutable std::vector<std::optional<model::EngineSpec>> engines_asked;  ///< engine(): each spec
  /// Build contexts by their path as written, each path -> content.
  std::map<std::string, std::map<std::string, std::string>> contexts;

  Result<app::Target> target() const override {
    return app::Target{"/project", "run-config.yaml", "", environment};
  }
  Result<app::ConfigTarget> config(const app::Target& target,
                                   const std::optional<std::string>&) const override {
    app::ConfigTarget config;
    config.files = std::make_unique<config::MemorySource>(files);
    config.directory = target.directory;
    config.request.environment = target.environment;
    config.request.process_environment = variables;
    return config;
  }
  Result<std::unique_ptr<history::RecordStore>> history(const std::string&,
                                                        history::StoreAccess) const override {
    return std::unique_ptr<history::RecordStore>(std::make_unique<StoreHandle>(store));
  }
  Result<std::unique_ptr<app::Engine>> engine(const std::optional<model::EngineSpec>& spec,
                                              model::DeployTarget,
                                              const std::string&) const override {
    engines_asked.push_back(spec);
    return std::unique_ptr<app::Engine>(std::make_unique<EngineHandle>(fake_engine));
  }
  Status replace_file(const std::string& path, const std::string& text) const override {
    written[path] = text;
    return ok_status();
  }
  Result<std::string> fetch(const std::string&, const std::string&, const std::string&,
                            const history::FetchLimits& limits) const override {
    fetch_limits.push_back(limits);
    if (fetch_error) return usage_error(*fetch_error);
    return fetched_commit;
  }
  Result<std::unique_ptr<build::ContextTree>> build_context(
      const std::string&, const std::string& context,
      const std::optional<std::string>&) const override {
    auto it = contexts.find(context);
    if (it == contexts.end()) return usage_error("build context " + context + " does not exist");
    return std::unique_ptr<build::ContextTree>(std::make_unique<MemoryContextTree>(it->second));
  }

 private:
  /// What history() hands out: the one store, shared.
  class StoreHandle final : public history::RecordStore {
   public:
    explicit StoreHandle(std::shared_ptr<FakeRecordStore> store) : store_(std::move(store)) {}
    Result<bool> has_history(const std::string& e) const override { return store_->has_history(e); }
    Result<std::vector<history::RecordSummary>> list(const std::string& e) const override {
      return store_->list(e);
    }
    Result<history::Record> read(const std::string& e, int n) const override {
      return store_->read(e, n);
    }
    Result<std::optional<history::Record>> last_successful(const std::string& e) const override {
      return store_->last_successful(e);
    }
    Result<int> next_number(const std::string& e) const override { return store_->next_number(e); }
    Result<int> append(const history::NewRecord& r) override { return store_->append(r); }
    Result<std::optional<history::Record>> latest(const std::string& e) const override {
      return store_->latest(e);
    }
    Status replace_latest(const history::NewRecord& r, int n) override {
      return store_->replace_latest(r, n);
    }
    history::SourceInfo source_info() const override { return store_->source_info(); }

   private:
    std::shared_ptr<FakeRecordStore> store_;
  };

  /// What engine() hands out: the one engine, shared.
  class EngineHandle final : public app::Engine {
   public:
    explicit EngineHandle(std::shared_ptr<FakeEngine> engine) : engine_(std::move(engine)) {}
    Result<model::ObservedState> observe(const model::DesiredState& d) override {
      return engine_->observe(d);
    }
    plan::Plan plan(const model::DesiredState& d, const model::ObservedState& o,
                    const plan::PlanOptions& p) const override {
      return engine_->plan(d, o, p);
    }
    Result<app::LockAttempt> try_lock(const std::string& p, const std::string& e,
                                      const std::string& c, std::chrono::milliseconds w,
                                      const std::atomic<bool>& s) override {
      return engine_->try_lock(p, e, c, w, s);
    }
    apply::ExecutionReport execute(const plan::Plan& p, const app::ExecutionRequest& r) override {
      return engine_->execute(p, r);
    }
    Result<std::optional<docker::LockHolder>> force_unlock(const std::string& p,
                                                           const std::string& e) override {
      return engine_->force_unlock(p, e);
    }
    Result<std::vector<docker::LogLine>> read_logs(const std::string& c,
                                                   const docker::LogRequest& r) override {
      return engine_->read_logs(c, r);
    }
    Status follow_logs(const std::string& c, const docker::LogRequest& r,
                       const std::function<void(const docker::LogLine&)>& l,
                       const std::atomic<bool>& s) override {
      return engine_->follow_logs(c, r, l, s);
    }
    Result<int> exec(const std::string& c, const std::vector<std::string>& command,
                     const docker::OutputSink& o, const std::atomic<bool>& s) override {
      return engine_->exec(c, command, o, s);
    }
    Result<std::unique_ptr<docker::ExecSession>> start_exec_session(
        const std::string& c, const docker::ExecSessionSpec& spec) override {
      return engine_->start_exec_session(c, spec);
    }
    Result<docker::ContainerExit> run_task(const app::TaskLaunch& l,
                                           const std::function<void(const docker::LogLine&)>& f,
                                           const std::atomic<bool>& s) override {
      return engine_->run_task(l, f, s);
    }

   private:
    std::shared_ptr<FakeEngine> engine_;
  };
};

/// A view that records what it was shown and answers the question as told.
class RecordingView final : public app::ConvergeView,
                            public apply::ProgressSink,
                            public app::TaskView {
 public:
  bool answer = true;
  std::vector<std::string> events;
  std::vector<std::string> task_lines;  ///< "db-migrate | text", as shown

  void planned(const plan::Plan& plan) override { events.push_back("planned " + summary(plan)); }
  void show_plan(const plan::Plan& plan) override { events.push_back("shown " + summary(plan)); }
  Result<bool> confirm(const std::string& verb, const std::string& environment,
                       bool protected_environment) override {
    events.push_back("asked " + verb + " " + environment +
                     (protected_environment ? " (protected)" : ""));
    return answer;
  }
  void executing(const plan::Plan&) override { events.push_back("executing"); }
  apply::ProgressSink& progress() override { return *this; }
  app::TaskView& tasks() override { return *this; }
  void task_started(const model::TaskSpec& task, model::TaskWhen) override {
    events.push_back("task " + task.name);
  }
  void task_line(const model::TaskSpec& task, const docker::LogLine& line) override {
    task_lines.push_back(task.name + " | " + line.text);
  }
  void task_finished(const history::TaskOutcome&) override {}
  void lock_taken(std::function<void()>) override { events.push_back("locked"); }
  void lock_released() override { events.push_back("unlocked"); }
  void started(std::size_t, const plan::Action&) override {}
  void finished(std::size_t, const plan::Action&, const apply::ActionResult&) override {}
  void note(const std::string&) override {}
  void step(std::size_t, const plan::Action&, const std::string&) override {}

 private:
  static std::string summary(const plan::Plan& plan) {
    return std::to_string(plan.actions.size()) + " actions";
  }
};

}  // namespace run::test
