#include <doctest/doctest.h>

#include "app/converge.h"
#include "app/environment_plan.h"
#include "app/reconcile_tick.h"
#include "app_fakes.h"
#include "history/result_json.h"

// The one converge path of apply, destroy, rollback, promote --apply and the reconcile tick,
// through fakes of the engine, the record store and the project's files.

namespace run::app {

namespace {

/// The shop project's dev environment, loaded from the fake workspace.
ConvergeRequest apply_request(const test::FakeWorkspace& workspace) {
  Result<LoadedEnvironment> loaded = load_environment(workspace, *workspace.target(), std::nullopt);
  REQUIRE(loaded);
  ConvergeRequest request;
  request.verb = "apply";
  request.desired = loaded->desired;
  request.project_directory = loaded->project_directory;
  request.options.approval = Approval::kAutoApprove;
  return request;
}

Result<ConvergeOutcome> converge_with(test::FakeWorkspace& workspace,
                                      const ConvergeRequest& request, test::RecordingView& view) {
  std::atomic<bool> stop{false};
  return converge(*workspace.fake_engine, workspace, request, view, stop);
}

std::string joined(const std::vector<std::string>& events) {
  std::string text;
  for (const std::string& event : events) text += event + "\n";
  return text;
}

}  // namespace

TEST_CASE("converge: nothing to do takes no lock and writes no record") {
  test::FakeWorkspace workspace;
  workspace.fake_engine->observed_fixture = std::string(test::kShopInSync);
  test::RecordingView view;
  Result<ConvergeOutcome> outcome = converge_with(workspace, apply_request(workspace), view);
  REQUIRE(outcome);
  CHECK(outcome->end == ConvergeEnd::kPlanned);
  CHECK(workspace.fake_engine->locks_taken == 0);
  CHECK(workspace.fake_engine->executions == 0);
  CHECK(workspace.store->appended.empty());
  CHECK(joined(view.events) == "planned 0 actions\nshown 0 actions\n");
}

TEST_CASE("converge: a change plans, locks, plans again, asks, executes, records and unlocks") {
  test::FakeWorkspace workspace;
  test::RecordingView view;
  ConvergeRequest request = apply_request(workspace);
  request.options.approval = Approval::kAsk;
  Result<ConvergeOutcome> outcome = converge_with(workspace, request, view);
  REQUIRE(outcome);
  CHECK(outcome->end == ConvergeEnd::kExecuted);
  CHECK(joined(view.events) ==
        "planned 2 actions\nlocked\nplanned 2 actions\nshown 2 actions\nasked apply dev\n"
        "executing\nunlocked\n");
  CHECK(workspace.fake_engine->locks_taken == 1);
  CHECK(workspace.fake_engine->locks_released == 1);
  // New containers carry the number of the record that will describe them.
  CHECK(workspace.fake_engine->deployments == std::vector<std::string>{"1"});
  REQUIRE(outcome->execution->record_number);
  CHECK(*outcome->execution->record_number == 1);
  REQUIRE(workspace.store->appended.size() == 1);
  CHECK(workspace.store->appended[0].result.outcome == history::Outcome::kSucceeded);
  CHECK(workspace.store->appended[0].result.source.commit == workspace.store->source.commit);
}

TEST_CASE("converge: a declined confirmation changes nothing and releases the lock") {
  test::FakeWorkspace workspace;
  test::RecordingView view;
  view.answer = false;
  ConvergeRequest request = apply_request(workspace);
  request.options.approval = Approval::kAsk;
  Result<ConvergeOutcome> outcome = converge_with(workspace, request, view);
  REQUIRE(outcome);
  CHECK(outcome->end == ConvergeEnd::kCancelled);
  CHECK(workspace.fake_engine->executions == 0);
  CHECK(workspace.fake_engine->locks_released == 1);
  CHECK(workspace.store->appended.empty());
}

TEST_CASE("converge: a dry run shows the plan and takes no lock") {
  test::FakeWorkspace workspace;
  test::RecordingView view;
  ConvergeRequest request = apply_request(workspace);
  request.options.dry_run = true;
  Result<ConvergeOutcome> outcome = converge_with(workspace, request, view);
  REQUIRE(outcome);
  CHECK(outcome->end == ConvergeEnd::kPlanned);
  CHECK(outcome->plan.actions.size() == 2);
  CHECK(workspace.fake_engine->locks_taken == 0);
}

TEST_CASE(
    "converge: a held lock is an error naming the holder for apply, an outcome for the loop") {
  test::FakeWorkspace workspace;
  workspace.fake_engine->holder =
      docker::LockHolder{"ana@build-7", "4242", "apply", "2026-12-02T10:00:00Z"};
  test::RecordingView view;
  ConvergeRequest request = apply_request(workspace);
  Result<ConvergeOutcome> refused = converge_with(workspace, request, view);
  REQUIRE_FALSE(refused);
  CHECK(refused.errors().front().message ==
        "shop/dev is locked by ana@build-7 (pid 4242, apply since 2026-12-02T10:00:00Z)");
  request.contention = LockContention::kSkip;
  Result<ConvergeOutcome> skipped = converge_with(workspace, request, view);
  REQUIRE(skipped);
  CHECK(skipped->end == ConvergeEnd::kLocked);
  CHECK(skipped->holder->holder == "ana@build-7");
  CHECK(workspace.fake_engine->executions == 0);
  CHECK(workspace.store->appended.empty());
}

TEST_CASE(
    "converge: a failure in the middle of execution records a failed record naming what "
    "completed") {
  test::FakeWorkspace workspace;
  workspace.fake_engine->failing = {"shop-dev-web-1"};
  test::RecordingView view;
  Result<ConvergeOutcome> outcome = converge_with(workspace, apply_request(workspace), view);
  REQUIRE(outcome);
  CHECK(outcome->end == ConvergeEnd::kExecuted);
  REQUIRE(workspace.store->appended.size() == 1);
  const history::RecordResult& result = workspace.store->appended[0].result;
  CHECK(result.outcome == history::Outcome::kFailed);
  REQUIRE(result.actions.size() == 2);
  CHECK(result.actions[0].name == "shop-dev");
  CHECK(result.actions[0].state == "done");
  CHECK(result.actions[1].name == "shop-dev-web-1");
  CHECK(result.actions[1].state == "failed");
  CHECK(result.actions[1].message == "the daemon said no");
  CHECK(execution_failure(outcome->plan, outcome->execution->report, 1) ==
        "1 of 2 actions failed (record #1): the daemon said no");
  CHECK(workspace.fake_engine->locks_released == 1);
}

TEST_CASE("converge: destroy plans against nothing desired and records a destroy") {
  test::FakeWorkspace workspace;
  workspace.fake_engine->observed_fixture = std::string(test::kShopInSync);
  test::RecordingView view;
  ConvergeRequest request = apply_request(workspace);
  request.mode = ConvergeMode::kDestroy;
  request.verb = "destroy";
  request.record.kind = history::RecordKind::kDestroy;
  Result<ConvergeOutcome> outcome = converge_with(workspace, request, view);
  REQUIRE(outcome);
  REQUIRE(outcome->end == ConvergeEnd::kExecuted);
  for (const plan::Action& action : outcome->plan.actions)
    CHECK(action.kind == plan::ActionKind::kRemove);
  CHECK(workspace.store->appended[0].result.kind == history::RecordKind::kDestroy);
}

TEST_CASE("converge: a stale saved plan is refused under the lock, naming what moved") {
  test::FakeWorkspace workspace;
  ConvergeRequest request = apply_request(workspace);
  Result<EnvironmentPlan> planned = plan_environment(
      *workspace.fake_engine, workspace, request.project_directory, request.desired, {});
  REQUIRE(planned);
  request.saved_plan = SavedPlanFile{"plan.json", saved_plan_json(*planned)};
  // The environment moves after the plan was saved: the network appears.
  workspace.fake_engine->observed_fixture =
      R"({"images": {"busybox:web": "sha256:w1"}, "networks": ["shop-dev"], "volumes": [],
          "containers": []})";
  test::RecordingView view;
  Result<ConvergeOutcome> outcome = converge_with(workspace, request, view);
  REQUIRE_FALSE(outcome);
  std::string message = outcome.errors().front().message;
  CHECK(
      message.starts_with("the saved plan is stale; nothing was applied\n"
                          "the environment was empty when the plan was made and is not now:\n"
                          "  now: network shop-dev"));
  CHECK(outcome.errors().front().hint == "make a new plan: run plan --out plan.json");
  CHECK(workspace.fake_engine->executions == 0);
  CHECK(workspace.fake_engine->locks_released == 1);
}

TEST_CASE("converge: a saved plan that still holds is applied without asking") {
  test::FakeWorkspace workspace;
  ConvergeRequest request = apply_request(workspace);
  request.options.approval = Approval::kAsk;
  Result<EnvironmentPlan> planned = plan_environment(
      *workspace.fake_engine, workspace, request.project_directory, request.desired, {});
  REQUIRE(planned);
  request.saved_plan = SavedPlanFile{"plan.json", saved_plan_json(*planned)};
  test::RecordingView view;
  Result<ConvergeOutcome> outcome = converge_with(workspace, request, view);
  REQUIRE(outcome);
  CHECK(outcome->end == ConvergeEnd::kExecuted);
  CHECK(joined(view.events) == "locked\nplanned 2 actions\nshown 2 actions\nexecuting\nunlocked\n");
}

TEST_CASE("reconcile tick: in sync takes no lock; a change is applied and recorded as reconcile") {
  test::FakeWorkspace workspace;
  workspace.fake_engine->observed_fixture = std::string(test::kShopInSync);
  std::atomic<bool> stop{false};
  ReconcileTick tick(workspace, ReconcileSettings{}, stop);
  reconcile::TickReport in_sync = tick.run("timer");
  CHECK(in_sync.result == reconcile::TickResult::kSuccess);
  CHECK_FALSE(in_sync.applied);
  CHECK(workspace.fake_engine->locks_taken == 0);
  CHECK(tick.environment() == "dev");
  CHECK(tick.project() == "shop");

  workspace.fake_engine->observed_fixture = std::string(test::kShopEmpty);
  reconcile::TickReport applied = tick.run("timer");
  CHECK(applied.result == reconcile::TickResult::kSuccess);
  CHECK(applied.applied);
  CHECK(applied.plan_summary == "2 to add, 0 to change, 0 to replace, 0 to start, 0 to remove");
  CHECK(applied.actions_done == std::map<std::string, int>{{"create", 2}});
  REQUIRE(applied.record_number);
  CHECK(*applied.record_number == 1);
  CHECK(workspace.store->appended[0].result.kind == history::RecordKind::kReconcile);
  CHECK(tick.recent_history().size() == 1);
}

TEST_CASE("reconcile tick: a held lock skips the tick, naming the holder") {
  test::FakeWorkspace workspace;
  workspace.fake_engine->holder =
      docker::LockHolder{"ana@build-7", "4242", "apply", "2026-12-02T10:00:00Z"};
  std::atomic<bool> stop{false};
  ReconcileTick tick(workspace, ReconcileSettings{}, stop);
  reconcile::TickReport report = tick.run("timer");
  CHECK(report.result == reconcile::TickResult::kSkipped);
  CHECK(report.error == "locked by ana@build-7 (apply since 2026-12-02T10:00:00Z)");
  CHECK(report.plan_summary == "2 to add, 0 to change, 0 to replace, 0 to start, 0 to remove");
  CHECK(workspace.store->appended.empty());
}

TEST_CASE("reconcile tick: a broken configuration is a failed tick with its place") {
  test::FakeWorkspace workspace;
  workspace.files["run-config.yaml"] = std::string(test::kShopConfig) + "bogus: 1\n";
  std::atomic<bool> stop{false};
  ReconcileTick tick(workspace, ReconcileSettings{}, stop);
  reconcile::TickReport report = tick.run("timer");
  CHECK(report.result == reconcile::TickResult::kFailure);
  CHECK(report.error.find("run-config.yaml:10:1: unknown key 'bogus'") != std::string::npos);
}

TEST_CASE("reconcile tick: the fetch is given --fetch-timeout and the loop's stop flag") {
  test::FakeWorkspace workspace;
  std::atomic<bool> stop{false};
  ReconcileSettings settings;
  settings.remote = "origin";
  settings.branch = "main";
  settings.fetch_timeout = std::chrono::seconds(7);
  ReconcileTick tick(workspace, settings, stop);
  reconcile::TickReport report = tick.run("timer");
  CHECK(report.result == reconcile::TickResult::kSuccess);
  CHECK(report.commit == workspace.fetched_commit);
  REQUIRE(workspace.fetch_limits.size() == 1);
  CHECK(workspace.fetch_limits[0].timeout == std::chrono::seconds(7));
  CHECK(workspace.fetch_limits[0].stop == &stop);
}

TEST_CASE("reconcile tick: a fetch that timed out fails the tick with its message") {
  test::FakeWorkspace workspace;
  workspace.fetch_error = "fetch of origin timed out after 2 s";
  std::atomic<bool> stop{false};
  ReconcileSettings settings;
  settings.remote = "origin";
  ReconcileTick tick(workspace, settings, stop);
  reconcile::TickReport report = tick.run("timer");
  CHECK(report.result == reconcile::TickResult::kFailure);
  CHECK(report.error == "fetch of origin timed out after 2 s");
  CHECK(workspace.store->appended.empty());
  CHECK(workspace.fake_engine->locks_taken == 0);
}

TEST_CASE("converge: apply and a reconcile tick produce the same record for the same change") {
  test::FakeWorkspace by_apply;
  test::RecordingView view;
  REQUIRE(converge_with(by_apply, apply_request(by_apply), view));
  test::FakeWorkspace by_loop;
  std::atomic<bool> stop{false};
  ReconcileTick tick(by_loop, ReconcileSettings{}, stop);
  REQUIRE(tick.run("timer").result == reconcile::TickResult::kSuccess);
  REQUIRE(by_apply.store->appended.size() == 1);
  REQUIRE(by_loop.store->appended.size() == 1);
  const history::NewRecord& applied = by_apply.store->appended[0];
  const history::NewRecord& reconciled = by_loop.store->appended[0];
  CHECK(applied.environment == reconciled.environment);
  CHECK(applied.state_json == reconciled.state_json);
  CHECK(applied.plan_json == reconciled.plan_json);
  CHECK(applied.result.summary == reconciled.result.summary);
  CHECK(applied.result.outcome == reconciled.result.outcome);
  CHECK(applied.result.source.commit == reconciled.result.source.commit);
  REQUIRE(applied.result.actions.size() == reconciled.result.actions.size());
  for (std::size_t i = 0; i < applied.result.actions.size(); ++i) {
    CHECK(applied.result.actions[i].name == reconciled.result.actions[i].name);
    CHECK(applied.result.actions[i].state == reconciled.result.actions[i].state);
  }
  // Only what started it differs.
  CHECK(applied.result.kind == history::RecordKind::kApply);
  CHECK(reconciled.result.kind == history::RecordKind::kReconcile);
}

}  // namespace run::app
