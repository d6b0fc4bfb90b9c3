// Pre- and post-deploy hooks in the one converge path, through fakes: a failed pre-deploy hook
// changes nothing and fails the record with its output; a failed post-deploy hook fails the
// apply after the changes; run_if_changed keeps a hook from running.
#include <doctest/doctest.h>

#include "app/converge.h"
#include "app/environment_plan.h"
#include "app_fakes.h"

namespace run::app {

namespace {

constexpr std::string_view kShopWithHooks =
    "version: \"2\"\n"
    "project: shop\n"
    "default_environment: dev\n"
    "services:\n"
    "  web:\n"
    "    image: busybox:web\n"
    "    user: \"1000\"\n"
    "tasks:\n"
    "  migrate: { service: web, command: [sh, /migrate.sh], when: pre-deploy }\n"
    "  notify: { image: busybox:web, command: [\"true\"], user: root, when: post-deploy }\n"
    "  rebuild-index:\n"
    "    service: web\n"
    "    command: [\"true\"]\n"
    "    when: post-deploy\n"
    "    run_if_changed: [services.web.image]\n"
    "environments:\n"
    "  dev: {}\n";

/// The network is there (a deployed environment) but web's container is not: a plan creates it.
constexpr std::string_view kShopNetworkOnly =
    R"({"images": {"busybox:web": "sha256:w1"}, "networks": ["shop-dev"], "volumes": [],
        "containers": []})";

struct HookedShop {
  test::FakeWorkspace workspace;
  test::RecordingView view;

  HookedShop() {
    workspace.files["run-config.yaml"] = std::string(kShopWithHooks);
    workspace.fake_engine->observed_fixture = std::string(kShopNetworkOnly);
  }

  Result<ConvergeOutcome> apply() {
    Result<LoadedEnvironment> loaded =
        load_environment(workspace, *workspace.target(), std::nullopt);
    REQUIRE(loaded);
    ConvergeRequest request;
    request.verb = "apply";
    request.desired = loaded->desired;
    request.project_directory = loaded->project_directory;
    request.options.approval = Approval::kAutoApprove;
    std::atomic<bool> stop{false};
    return converge(*workspace.fake_engine, workspace, request, view, stop);
  }
};

}  // namespace

TEST_CASE("hooks in converge: pre-deploy runs before the changes, post-deploy after") {
  HookedShop shop;
  Result<ConvergeOutcome> outcome = shop.apply();
  REQUIRE(outcome);
  REQUIRE(outcome->execution);
  CHECK(outcome->execution->succeeded());
  // rebuild-index is limited to services.web.image, which a create of web changes too.
  CHECK(shop.workspace.fake_engine->calls ==
        std::vector<std::string>{"task migrate", "execute", "task notify", "task rebuild-index"});
  REQUIRE(shop.workspace.store->appended.size() == 1);
  const history::RecordResult& result = shop.workspace.store->appended[0].result;
  CHECK(result.outcome == history::Outcome::kSucceeded);
  REQUIRE(result.tasks.size() == 3);
  CHECK(result.tasks[0].task == "migrate");
  CHECK(result.tasks[0].when == "pre-deploy");
  CHECK(result.tasks[0].exit_code == 0);
}

TEST_CASE("hooks in converge: a failed pre-deploy hook changes nothing and says why") {
  HookedShop shop;
  shop.workspace.fake_engine->task_answers["migrate"] =
      test::FakeEngine::TaskAnswer{{"applying 002_bad.sql", "ERROR: syntax error"}, {}, {}};
  shop.workspace.fake_engine->task_answers["migrate"].exit.exit_code = 3;
  Result<ConvergeOutcome> outcome = shop.apply();
  REQUIRE(outcome);
  REQUIRE(outcome->execution);
  CHECK_FALSE(outcome->execution->succeeded());
  CHECK(shop.workspace.fake_engine->executions == 0);
  CHECK(shop.workspace.fake_engine->calls == std::vector<std::string>{"task migrate"});
  REQUIRE(shop.workspace.store->appended.size() == 1);
  const history::RecordResult& result = shop.workspace.store->appended[0].result;
  CHECK(result.outcome == history::Outcome::kFailed);
  REQUIRE(result.tasks.size() == 1);
  CHECK(result.tasks[0].exit_code == 3);
  CHECK(result.tasks[0].output ==
        std::vector<std::string>{"applying 002_bad.sql", "ERROR: syntax error"});
  CHECK(shop.workspace.fake_engine->locks_released == 1);
}

TEST_CASE("hooks in converge: a failed post-deploy hook fails the apply after the changes") {
  HookedShop shop;
  shop.workspace.fake_engine->task_answers["notify"].exit.exit_code = 1;
  Result<ConvergeOutcome> outcome = shop.apply();
  REQUIRE(outcome);
  REQUIRE(outcome->execution);
  CHECK_FALSE(outcome->execution->succeeded());
  CHECK(shop.workspace.fake_engine->executions == 1);
  REQUIRE(shop.workspace.store->appended.size() == 1);
  CHECK(shop.workspace.store->appended[0].result.outcome == history::Outcome::kFailed);
}

TEST_CASE(
    "hooks in converge: a hook's container gets its service's image, its command and run's env") {
  HookedShop shop;
  REQUIRE(shop.apply());
  const std::vector<TaskLaunch>& launches = shop.workspace.fake_engine->task_launches;
  REQUIRE(launches.size() == 3);
  CHECK(launches[0].task == "migrate");
  CHECK(launches[0].container.image == "busybox:web");
  CHECK(launches[0].container.command == std::vector<std::string>{"sh", "/migrate.sh"});
  CHECK(launches[0].container.env.count("RUN_TASK") == 1);
  CHECK(launches[0].container.env.count("RUN_ENVIRONMENT") == 1);
  CHECK(launches[0].container.user == "1000");
}

TEST_CASE("hooks in converge: a task's own user replaces its image's") {
  HookedShop shop;
  REQUIRE(shop.apply());
  const std::vector<TaskLaunch>& launches = shop.workspace.fake_engine->task_launches;
  REQUIRE(launches.size() == 3);
  CHECK(launches[1].task == "notify");
  CHECK(launches[1].container.user == "root");
}

}  // namespace run::app
