#include <doctest/doctest.h>

#include <climits>

#include "app/apply_journal.h"
#include "app/converge.h"
#include "app/deployment_record.h"
#include "app/environment_plan.h"
#include "app/unfinished_deployment.h"
#include "app_fakes.h"
#include "core/this_process.h"
#include "history/result_json.h"
#include "render/plan_text.h"

// An apply's record as it goes: in progress before the first change, rewritten as each
// action completes, finished at the end; what a killed apply leaves, and how the next plan
// and apply read it.

namespace run::app {

namespace {

plan::Plan two_action_plan() {
  plan::Plan plan;
  plan.project = "shop";
  plan.environment = "dev";
  plan::Action web;
  web.kind = plan::ActionKind::kCreate;
  web.name = "shop-dev-web-1";
  plan::Action api = web;
  api.name = "shop-dev-api-1";
  plan.actions = {web, api};
  return plan;
}

model::DesiredState dev_state() {
  model::DesiredState desired;
  desired.project = "shop";
  desired.environment = "dev";
  return desired;
}

/// A writer that is certainly gone: this host, a process id no process has.
history::RecordWriter gone_writer() { return {this_host(), INT_MAX}; }

history::RecordResult result_of(const history::Record& record) {
  Result<history::RecordResult> result = history::result_from_json(record.result_json, "record");
  REQUIRE(result);
  return *result;
}

class NoProgress final : public apply::ProgressSink {
 public:
  int finished_events = 0;
  void started(std::size_t, const plan::Action&) override {}
  void finished(std::size_t, const plan::Action&, const apply::ActionResult&) override {
    ++finished_events;
  }
  void note(const std::string&) override {}
  void step(std::size_t, const plan::Action&, const std::string&) override {}
};

}  // namespace

TEST_CASE("apply journal: in progress before the first change, each action recorded as it ends") {
  test::FakeRecordStore store;
  NoProgress view;
  plan::Plan plan = two_action_plan();
  Result<std::unique_ptr<ApplyJournal>> journal =
      ApplyJournal::begin(store,
                          in_progress_record(dev_state(), plan, {}, {},
                                             std::chrono::system_clock::now(), gone_writer()),
                          view);
  REQUIRE(journal);
  CHECK((*journal)->number() == 1);
  Result<std::optional<history::Record>> newest = store.latest("dev");
  REQUIRE(newest);
  REQUIRE(*newest);
  CHECK((*newest)->summary.outcome == history::Outcome::kInProgress);
  history::RecordResult begun = result_of(**newest);
  REQUIRE(begun.writer);
  CHECK(begun.writer->pid == INT_MAX);
  CHECK(begun.actions.size() == 2);
  CHECK(begun.actions[0].state == "pending");

  (*journal)->finished(0, plan.actions[0], {apply::ActionState::kDone, "", 1.5, {}});
  CHECK(view.finished_events == 1);  // passed on to the view
  REQUIRE(store.replaced.size() == 1);
  newest = store.latest("dev");
  history::RecordResult after_one = result_of(**newest);
  CHECK(after_one.outcome == history::Outcome::kInProgress);
  CHECK(after_one.actions[0].state == "done");
  CHECK(after_one.actions[1].state == "pending");

  // Killed here: the record says what completed, and reads as interrupted once its writer is
  // gone.
  std::optional<plan::UnfinishedDeployment> unfinished =
      unfinished_deployment(**newest, writer_running);
  REQUIRE(unfinished);
  CHECK(unfinished->record == 1);
  CHECK(unfinished->kind == "apply");
  CHECK(unfinished->completed == 1);
  CHECK(unfinished->total == 2);
  CHECK_FALSE(unfinished->running);
  CHECK(render::unfinished_sentence(*unfinished, "this plan completes it") ==
        "The last apply, #1, was interrupted after 1 of 2 actions; this plan completes it.");
  Result<std::vector<history::RecordSummary>> listed = records_as_they_read(store, "dev");
  REQUIRE(listed);
  CHECK(listed->front().outcome == history::Outcome::kInterrupted);

  std::optional<history::NewRecord> finalised = finalised_as_interrupted(**newest, writer_running);
  REQUIRE(finalised);
  CHECK(finalised->result.outcome == history::Outcome::kInterrupted);
  CHECK_FALSE(finalised->result.writer);
  CHECK(finalised->result.actions[0].state == "done");
  CHECK(finalised->result.actions[1].state == "interrupted");
}

TEST_CASE("apply journal: a record whose writer still runs is in progress, not interrupted") {
  test::FakeRecordStore store;
  NoProgress view;
  Result<std::unique_ptr<ApplyJournal>> journal = ApplyJournal::begin(
      store,
      in_progress_record(dev_state(), two_action_plan(), {}, {}, std::chrono::system_clock::now(),
                         {this_host(), this_process_id()}),
      view);
  REQUIRE(journal);
  Result<std::optional<history::Record>> newest = store.latest("dev");
  std::optional<plan::UnfinishedDeployment> unfinished =
      unfinished_deployment(**newest, writer_running);
  REQUIRE(unfinished);
  CHECK(unfinished->running);
  CHECK_FALSE(finalised_as_interrupted(**newest, writer_running));
  CHECK(render::unfinished_sentence(*unfinished, "this plan completes it")
            .find("still in progress") != std::string::npos);
  // A writer on another host cannot be asked: it counts as running.
  CHECK(writer_running({"some-other-host.invalid", INT_MAX}));
}

TEST_CASE("apply journal: finishing replaces the record in progress with the outcome") {
  test::FakeRecordStore store;
  NoProgress view;
  plan::Plan plan = two_action_plan();
  Result<std::unique_ptr<ApplyJournal>> journal =
      ApplyJournal::begin(store,
                          in_progress_record(dev_state(), plan, {}, {},
                                             std::chrono::system_clock::now(), gone_writer()),
                          view);
  REQUIRE(journal);
  apply::ExecutionReport report{
      {{apply::ActionState::kDone, "", 1, {}}, {apply::ActionState::kDone, "", 1, {}}}, false};
  history::NewRecord ended =
      deployment_record(dev_state(), plan, report, {}, {}, {}, std::chrono::system_clock::now(),
                        std::chrono::system_clock::now());
  REQUIRE((*journal)->finish(ended));
  REQUIRE(store.appended.size() == 1);
  CHECK(store.appended[0].result.outcome == history::Outcome::kSucceeded);
  Result<std::optional<history::Record>> newest = store.latest("dev");
  CHECK((*newest)->summary.outcome == history::Outcome::kSucceeded);
  CHECK_FALSE(result_of(**newest).writer);
  CHECK_FALSE(unfinished_deployment(**newest, writer_running));
}

TEST_CASE("converge: the record is written before the first change and updated per action") {
  test::FakeWorkspace workspace;
  test::RecordingView view;
  Result<LoadedEnvironment> loaded = load_environment(workspace, *workspace.target(), std::nullopt);
  REQUIRE(loaded);
  ConvergeRequest request;
  request.verb = "apply";
  request.desired = loaded->desired;
  request.project_directory = loaded->project_directory;
  request.options.approval = Approval::kAutoApprove;
  std::atomic<bool> stop{false};
  Result<ConvergeOutcome> outcome =
      converge(*workspace.fake_engine, workspace, request, view, stop);
  REQUIRE(outcome);
  REQUIRE(outcome->end == ConvergeEnd::kExecuted);
  std::size_t actions = outcome->plan.actions.size();
  REQUIRE(actions == 2);
  // One rewrite per action as it ended, then the end.
  REQUIRE(workspace.store->replaced.size() == actions + 1);
  CHECK(workspace.store->replaced[0].result.outcome == history::Outcome::kInProgress);
  CHECK(workspace.store->replaced[0].result.actions[0].state == "done");
  CHECK(workspace.store->replaced[0].result.actions[1].state == "pending");
  CHECK(workspace.store->replaced.back().result.outcome == history::Outcome::kSucceeded);
  CHECK(workspace.fake_engine->deployments == std::vector<std::string>{"1"});
}

TEST_CASE("converge: a record a killed apply left in progress is finalised as interrupted first") {
  test::FakeWorkspace workspace;
  test::RecordingView view;
  plan::Plan killed_plan = two_action_plan();
  history::NewRecord left = in_progress_record(dev_state(), killed_plan, {}, {},
                                               std::chrono::system_clock::now(), gone_writer());
  left.result.actions[0].state = "done";
  REQUIRE(workspace.store->append(left));

  Result<LoadedEnvironment> loaded = load_environment(workspace, *workspace.target(), std::nullopt);
  REQUIRE(loaded);
  // The plan says what the killed apply left, and that this plan completes it.
  Result<EnvironmentPlan> planned = plan_environment(
      *workspace.fake_engine, workspace, loaded->project_directory, loaded->desired, {});
  REQUIRE(planned);
  REQUIRE(planned->plan.unfinished);
  CHECK(planned->plan.unfinished->record == 1);
  CHECK(planned->plan.unfinished->completed == 1);
  CHECK(planned->plan.unfinished->total == 2);
  CHECK(render::plan_text(planned->plan)
            .find("The last apply, #1, was interrupted after 1 of 2 "
                  "actions; this plan completes it.") != std::string::npos);

  ConvergeRequest request;
  request.verb = "apply";
  request.desired = loaded->desired;
  request.project_directory = loaded->project_directory;
  request.options.approval = Approval::kAutoApprove;
  std::atomic<bool> stop{false};
  Result<ConvergeOutcome> outcome =
      converge(*workspace.fake_engine, workspace, request, view, stop);
  REQUIRE(outcome);
  REQUIRE(outcome->execution);
  CHECK(outcome->execution->record_number == 2);
  Result<std::vector<history::RecordSummary>> records = workspace.store->list("dev");
  REQUIRE(records);
  REQUIRE(records->size() == 2);
  CHECK(records->at(0).outcome == history::Outcome::kSucceeded);
  CHECK(records->at(1).outcome == history::Outcome::kInterrupted);
  Result<history::Record> first = workspace.store->read("dev", 1);
  REQUIRE(first);
  history::RecordResult first_result = result_of(*first);
  CHECK(first_result.actions[0].state == "done");
  CHECK(first_result.actions[1].state == "interrupted");
}

}  // namespace run::app
