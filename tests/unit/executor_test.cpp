#include <doctest/doctest.h>

#include <mutex>

#include "apply/executor.h"
#include "fake_docker_api.h"
#include "model/names.h"

namespace run::apply {

namespace {

/// Records what the executor reported.
class RecordingProgress final : public ProgressSink {
 public:
  void started(std::size_t, const plan::Action& action) override {
    std::lock_guard lock(mutex_);
    started_.push_back(action.name);
  }
  void finished(std::size_t, const plan::Action&, const ActionResult&) override {}
  void note(const std::string& text) override {
    std::lock_guard lock(mutex_);
    notes_.push_back(text);
  }
  void step(std::size_t, const plan::Action& action, const std::string& text) override {
    std::lock_guard lock(mutex_);
    steps_.push_back(action.service + ": " + text);
  }
  std::vector<std::string> started_;
  std::vector<std::string> steps_;
  std::vector<std::string> notes_;
  std::mutex mutex_;
};

model::DesiredState two_services() {
  model::DesiredState desired;
  desired.project = "shop";
  desired.environment = "dev";
  model::ServiceSpec db;
  db.name = "db";
  db.image = "busybox:db";
  model::ServiceSpec web;
  web.name = "web";
  web.image = "busybox:web";
  web.depends_on = {{"db", model::DependencyCondition::kStarted}};
  model::ServiceSpec cache;
  cache.name = "cache";
  cache.image = "busybox:cache";
  desired.services = {cache, db, web};
  return desired;
}

plan::Action create(const std::string& service) {
  plan::Action action;
  action.kind = plan::ActionKind::kCreate;
  action.resource = plan::ResourceKind::kContainer;
  action.service = service;
  action.replica = 1;
  action.name = "shop-dev-" + service + "-1";
  action.image = "busybox:" + service;
  return action;
}

plan::Plan three_creates() {
  plan::Plan plan;
  plan.project = "shop";
  plan.environment = "dev";
  plan.actions = {create("cache"), create("db"), create("web")};
  plan.actions[2].wait_for = {{"db", model::DependencyCondition::kStarted}};
  return plan;
}

ExecutionReport run_plan(const plan::Plan& plan, test::FakeDockerApi& api, bool stop = false) {
  model::DesiredState desired = two_services();
  RecordingProgress progress;
  std::atomic<bool> stop_requested{stop};
  ExecutionContext context{
      api, desired, "/srv", "d1", progress, stop_requested, {2, std::chrono::seconds(5)}};
  return execute(plan, context);
}

}  // namespace

TEST_CASE("executor: a failed create skips what depends on it and nothing else") {
  test::FakeDockerApi api;
  api.answer("/containers/create?name=shop-dev-cache-1", 201, R"({"Id": "c1"})");
  api.answer("/containers/create?name=shop-dev-db-1", 500,
             R"({"message": "no space left on device"})");
  api.answer("/containers/c1/start", 204, "");
  ExecutionReport report = run_plan(three_creates(), api);
  CHECK(report.results[0].state == ActionState::kDone);
  CHECK(report.results[1].state == ActionState::kFailed);
  CHECK(report.results[1].message.find("no space left on device") != std::string::npos);
  CHECK(report.results[2].state == ActionState::kSkipped);
  CHECK(report.results[2].message == "db failed (" + report.results[1].message + ")");
  CHECK_FALSE(report.succeeded());
}

TEST_CASE("executor: a dependent starts only once its dependency runs") {
  test::FakeDockerApi api;
  for (const char* service : {"cache", "db", "web"}) {
    api.answer(std::string("/containers/create?name=shop-dev-") + service + "-1", 201,
               std::string(R"({"Id": ")") + service + "\"}");
    api.answer(std::string("/containers/") + service + "/start", 204, "");
  }
  api.answer("/containers/json", 200, R"([{"Id": "db"}])");
  api.answer("/containers/db/json", 200, R"({"State": {"Status": "running"}})");
  ExecutionReport report = run_plan(three_creates(), api);
  CHECK(report.succeeded());
  std::size_t db_started = 0, status_checked = 0, web_created = 0;
  for (std::size_t i = 0; i < api.recorded().size(); ++i) {
    const auto& request = api.recorded()[i];
    if (request.path == "/containers/db/start") db_started = i;
    if (request.path == "/containers/db/json" && !status_checked) status_checked = i;
    if (request.path.starts_with("/containers/create?name=shop-dev-web-1")) web_created = i;
  }
  CHECK(db_started < status_checked);
  CHECK(status_checked < web_created);
}

TEST_CASE("executor: when a stop is asked before anything runs, nothing runs") {
  test::FakeDockerApi api;
  ExecutionReport report = run_plan(three_creates(), api, /*stop=*/true);
  CHECK(report.interrupted);
  CHECK(report.count(ActionState::kSkipped) == 3);
  CHECK(api.recorded().empty());
}

TEST_CASE("executor: an image that cannot be pulled fails the creates that need it") {
  test::FakeDockerApi api;
  plan::Plan plan = three_creates();
  plan.images_to_pull = {"busybox:cache"};
  api.answer("/images/create", 200,
             "{\"status\":\"Pulling\"}\n{\"error\":\"pull access denied for busybox\"}\n");
  api.answer("/containers/create?name=shop-dev-db-1", 201, R"({"Id": "db"})");
  api.answer("/containers/db/start", 204, "");
  api.answer("/containers/json", 200, R"([{"Id": "db"}])");
  api.answer("/containers/db/json", 200, R"({"State": {"Status": "running"}})");
  api.answer("/containers/create?name=shop-dev-web-1", 201, R"({"Id": "web"})");
  api.answer("/containers/web/start", 204, "");
  ExecutionReport report = run_plan(plan, api);
  CHECK(report.results[0].state == ActionState::kFailed);
  CHECK(report.results[0].message == "pull image busybox:cache: pull access denied for busybox");
  CHECK(report.results[1].state == ActionState::kDone);
  CHECK(report.results[2].state == ActionState::kDone);
}

TEST_CASE("executor: a container that would not start carries its diagnostics, read first") {
  test::FakeDockerApi api;
  plan::Plan plan = three_creates();
  plan.actions = {plan.actions[0]};
  api.answer("/containers/create?name=shop-dev-cache-1", 201, R"({"Id": "c1"})");
  api.answer("/containers/c1/start", 500, R"({"message": "exec: no such file"})");
  api.answer("/containers/c1/json", 200, R"({"State": {"Status": "created", "ExitCode": 127}})");
  api.answer("/containers/c1?force=1", 204, "");
  ExecutionReport report = run_plan(plan, api);
  REQUIRE(report.results[0].state == ActionState::kFailed);
  CHECK(report.results[0].message.find("exec: no such file") != std::string::npos);
  CHECK(report.results[0].diagnostics ==
        std::vector<std::string>{"state: created (exit code 127)"});
  const auto& recorded = api.recorded();
  CHECK(recorded.back().method == "DELETE");
  CHECK(recorded[recorded.size() - 3].path == "/containers/c1/json");
  CHECK(recorded[recorded.size() - 2].path.starts_with("/containers/c1/logs"));
}

}  // namespace run::apply
