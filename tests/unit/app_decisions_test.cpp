#include <doctest/doctest.h>

#include "app/history_target.h"
#include "app/promote.h"
#include "app/rollback.h"
#include "app_fakes.h"
#include "history/rollback_target.h"
#include "plan/saved_plan.h"
#include "reconcile/notify_policy.h"

// The decisions the use cases make, each in its pure home, and the history and promotion use
// cases through the fakes.

namespace run {

namespace {

history::RecordSummary record(int number, history::Outcome outcome) {
  history::RecordSummary summary;
  summary.number = number;
  summary.outcome = outcome;
  return summary;
}

/// A record of shop/`environment` deploying image `image`, appended to the fake store.
void deploy(test::FakeWorkspace& workspace, const std::string& environment,
            const std::string& image) {
  model::DesiredState state;
  state.project = "shop";
  state.environment = environment;
  model::ServiceSpec web;
  web.name = "web";
  web.image = image;
  state.services = {web};
  history::NewRecord deployed;
  deployed.environment = environment;
  deployed.state_json = history::state_to_json(state);
  deployed.result.summary = "1 to add";
  REQUIRE(workspace.store->append(deployed));
}

class TextView final : public app::PromoteView {
 public:
  std::string text;
  void say(const std::string& said) override { text += said; }
  void diff(const std::string&, const std::string& after, bool, const std::string& shown) override {
    text += "diff of " + shown + ":\n" + after;
  }
  void warn(const Diagnostic& warning) override { text += "warning: " + warning.message + "\n"; }
};

}  // namespace

TEST_CASE("rollback target: the last successful record before the newest, or --to") {
  std::vector<history::RecordSummary> records = {record(4, history::Outcome::kSucceeded),
                                                 record(3, history::Outcome::kFailed),
                                                 record(2, history::Outcome::kSucceeded)};
  CHECK(*history::rollback_target(records, "dev", std::nullopt) == 2);
  CHECK(*history::rollback_target(records, "dev", 3) == 3);
  Result<int> none = history::rollback_target({}, "dev", std::nullopt);
  REQUIRE_FALSE(none);
  CHECK(none.errors().front().message ==
        "environment 'dev' has no deployment records: there is nothing to roll back to");
  Result<int> only_failures = history::rollback_target(
      {record(2, history::Outcome::kSucceeded), record(1, history::Outcome::kFailed)}, "dev",
      std::nullopt);
  REQUIRE_FALSE(only_failures);
  CHECK(only_failures.errors().front().message ==
        "environment 'dev' has no successful record before #2");
}

TEST_CASE("saved plan: another environment is refused before any fingerprint is compared") {
  plan::PlanFingerprints saved{"shop", "staging", "d", "o", {}, {}};
  plan::PlanFingerprints now{"shop", "dev", "d", "o", {}, {}};
  Status checked = plan::check_saved_plan(saved, now, "plan.json");
  REQUIRE_FALSE(checked);
  CHECK(checked.errors().front().message == "the plan is for shop/staging, not shop/dev");
  CHECK(checked.errors().front().hint == "pass --env staging");
  CHECK(plan::check_saved_plan(now, now, "plan.json"));
}

TEST_CASE("saved plan: a changed configuration lists the lines that moved") {
  plan::PlanFingerprints saved{"shop", "dev", "d1", "o", {"service web image=a"}, {}};
  plan::PlanFingerprints now{"shop", "dev", "d2", "o", {"service web image=b"}, {}};
  Status checked = plan::check_saved_plan(saved, now, "plan.json");
  REQUIRE_FALSE(checked);
  CHECK(checked.errors().front().message ==
        "the saved plan is stale; nothing was applied\n"
        "the configuration changed since the plan was made:\n"
        "  was: service web image=a\n"
        "  now: service web image=b");
}

TEST_CASE("saved plan: an image only one side names is not a move of the environment") {
  plan::PlanFingerprints saved{"shop", "dev", "d", "o1", {}, {"image a:1 id=sha256:1"}};
  plan::PlanFingerprints now{"shop", "dev", "d", "o2", {}, {"image b:1 id=sha256:2"}};
  CHECK(plan::check_saved_plan(saved, now, "plan.json"));
}

TEST_CASE("notify policy: a config that stays broken is announced once") {
  reconcile::TickReport failed;
  failed.result = reconcile::TickResult::kFailure;
  using Kinds = std::vector<reconcile::NotifyKind>;
  CHECK(reconcile::notifications_for(failed, false) == Kinds{reconcile::NotifyKind::kApplyFailed});
  CHECK(reconcile::notifications_for(failed, true).empty());
  failed.applied = true;  // an apply that failed again is news every time
  CHECK(reconcile::notifications_for(failed, true) == Kinds{reconcile::NotifyKind::kApplyFailed});
  reconcile::TickReport healed;
  healed.applied = true;
  healed.drift = {"container shop-dev-web-1: not running (start)"};
  CHECK(reconcile::notifications_for(healed, true) ==
        Kinds{reconcile::NotifyKind::kDriftDetected, reconcile::NotifyKind::kApplySucceeded});
  CHECK(reconcile::notifications_for(reconcile::TickReport{}, false).empty());
}

TEST_CASE("promote: an uncommitted overlay is committed only when it is this promotion alone") {
  app::CommittedOverlay head{"services: {}\n", true, std::string("services: {web: 2}\n")};
  CHECK(app::classify_uncommitted(head, "services: {}\n", true) ==
        app::UncommittedOverlay::kCommittedAsIs);
  CHECK(app::classify_uncommitted(head, "services: {web: 2}\n", true) ==
        app::UncommittedOverlay::kThisPromotion);
  CHECK(app::classify_uncommitted(head, "services: {web: 3}\n", true) ==
        app::UncommittedOverlay::kOtherChanges);
  CHECK(app::classify_uncommitted(std::nullopt, "x", true) ==
        app::UncommittedOverlay::kOtherChanges);
  head.promoted.reset();  // nothing to promote on HEAD: any change is the user's
  CHECK(app::classify_uncommitted(head, "services: {web: 2}\n", true) ==
        app::UncommittedOverlay::kOtherChanges);
}

TEST_CASE("promote: FROM's deployed image is written into TO's overlay, checked first") {
  test::FakeWorkspace workspace;
  deploy(workspace, "dev", "busybox:web-2");
  TextView view;
  Result<app::PromoteOutcome> promoted = app::promote(workspace, {"dev", "production"}, view);
  REQUIRE(promoted);
  CHECK(promoted->edited);
  CHECK(*promoted->to.environment == "production");
  REQUIRE(workspace.written.count("/project/environments/production.yaml") == 1);
  std::string overlay = workspace.written["/project/environments/production.yaml"];
  CHECK(overlay.find("busybox:web-2") != std::string::npos);
  CHECK(view.text == std::string("Promoting dev deployment #1 to production:\n"
                                 "  web busybox:web -> busybox:web-2\n"
                                 "\ndiff of environments/production.yaml:\n" +
                                 overlay));
}

TEST_CASE("promote: an unknown FROM, FROM itself, and a FROM without records change nothing") {
  test::FakeWorkspace workspace;
  TextView view;
  Result<app::PromoteOutcome> typo = app::promote(workspace, {"devv", "production"}, view);
  REQUIRE_FALSE(typo);
  CHECK(typo.errors().front().message == "unknown environment 'devv'");
  CHECK(typo.errors().front().hint == "did you mean 'dev'?");
  Result<app::PromoteOutcome> itself = app::promote(workspace, {"dev", "dev"}, view);
  REQUIRE_FALSE(itself);
  CHECK(itself.errors().front().message == "cannot promote dev to itself");
  Result<app::PromoteOutcome> undeployed = app::promote(workspace, {"dev", "production"}, view);
  REQUIRE_FALSE(undeployed);
  CHECK(undeployed.errors().front().message ==
        "environment dev has no successful deployment yet: run 'run apply --env dev' first");
  CHECK(workspace.written.empty());
  CHECK(view.text.empty());
}

TEST_CASE(
    "history target: an undeclared environment without records is a typo, one with records is "
    "listed") {
  test::FakeWorkspace workspace;
  workspace.environment = "prodution";
  Result<app::HistoryTarget> typo = app::open_history(workspace);
  REQUIRE_FALSE(typo);
  CHECK(typo.errors().front().message ==
        "unknown environment 'prodution', and it has no deployment records");
  CHECK(typo.errors().front().hint == "did you mean 'production'?");
  deploy(workspace, "old", "busybox:web");
  workspace.environment = "old";
  Result<app::HistoryTarget> retired = app::open_history(workspace);
  REQUIRE(retired);
  CHECK(retired->environment == "old");
  workspace.environment.reset();  // default_environment
  CHECK(app::open_history(workspace)->environment == "dev");
}

TEST_CASE("rollback: goes back to the record before the newest, with today's secrets") {
  test::FakeWorkspace workspace;
  deploy(workspace, "dev", "busybox:web-1");
  deploy(workspace, "dev", "busybox:web-2");
  workspace.environment = "dev";
  Result<app::HistoryTarget> history = app::open_history(workspace);
  REQUIRE(history);
  Result<app::RollbackChoice> choice = app::choose_rollback(*history, std::nullopt);
  REQUIRE(choice);
  CHECK(choice->number == 1);
  CHECK(choice->state.services.at(0).image == "busybox:web-1");
  Result<app::RollbackChoice> missing = app::choose_rollback(*history, 7);
  CHECK_FALSE(missing);
}

}  // namespace run
