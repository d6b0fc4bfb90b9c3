#include <doctest/doctest.h>

#include <thread>

#include "reconcile/backoff.h"
#include "reconcile/event_watch.h"
#include "reconcile/loop.h"
#include "reconcile/rollback_hold.h"
#include "reconcile/wakeup.h"

namespace run::reconcile {

namespace {

using std::chrono::milliseconds;

history::RecordSummary record(int number, history::RecordKind kind, std::string commit,
                              std::optional<int> rollback_of = std::nullopt) {
  history::RecordSummary summary;
  summary.number = number;
  summary.kind = kind;
  summary.source_commit = std::move(commit);
  summary.rollback_of = rollback_of;
  return summary;
}

constexpr auto kApply = history::RecordKind::kApply;
constexpr auto kReconcile = history::RecordKind::kReconcile;
constexpr auto kRollback = history::RecordKind::kRollback;

}  // namespace

TEST_CASE("backoff: doubles from the initial delay up to the cap, jittered into the upper half") {
  BackoffPolicy policy{milliseconds(1000), milliseconds(10000)};
  CHECK(backoff_delay(policy, 0, 0.5) == milliseconds(0));
  CHECK(backoff_delay(policy, 1, 0.0) == milliseconds(500));
  CHECK(backoff_delay(policy, 1, 0.999) == milliseconds(999));
  CHECK(backoff_delay(policy, 2, 0.0) == milliseconds(1000));
  CHECK(backoff_delay(policy, 3, 1.0) == milliseconds(4000));
  CHECK(backoff_delay(policy, 4, 1.0) == milliseconds(8000));
  CHECK(backoff_delay(policy, 5, 1.0) == milliseconds(10000));
  CHECK(backoff_delay(policy, 5, 0.0) == milliseconds(5000));
}

TEST_CASE("backoff: a thousand failures stay at the cap without overflowing") {
  BackoffPolicy policy{milliseconds(2000), milliseconds(300000)};
  CHECK(backoff_delay(policy, 1000, 1.0) == milliseconds(300000));
  CHECK(backoff_delay(policy, 1000, 0.0) == milliseconds(150000));
}

TEST_CASE(
    "loop: after a success the interval, after failures the backoff, which events do not cut "
    "short") {
  LoopSettings settings;
  settings.interval = milliseconds(60000);
  settings.backoff = {milliseconds(1000), milliseconds(8000)};
  NextTick ok = next_tick(settings, TickResult::kSuccess, 0, 0.5);
  CHECK(ok.wait == milliseconds(60000));
  CHECK(ok.events_wake);
  NextTick skipped = next_tick(settings, TickResult::kSkipped, 2, 0.5);
  CHECK(skipped.wait == milliseconds(60000));
  NextTick failed = next_tick(settings, TickResult::kFailure, 3, 1.0);
  CHECK(failed.wait == milliseconds(4000));
  CHECK_FALSE(failed.events_wake);
}

TEST_CASE("rollback hold: kept while the commit is one that was rolled back") {
  std::vector<history::RecordSummary> records = {record(4, kRollback, "c3", 2),
                                                 record(3, kReconcile, "c3"),
                                                 record(2, kApply, "c2"), record(1, kApply, "c1")};
  std::optional<RollbackHold> hold = rollback_hold(records, "c3");
  REQUIRE(hold);
  CHECK(hold->rollback_record == 4);
  CHECK(hold->restored == 2);
}

TEST_CASE("rollback hold: a newer commit ends it") {
  std::vector<history::RecordSummary> records = {
      record(4, kRollback, "c3", 2), record(3, kReconcile, "c3"), record(2, kApply, "c2")};
  CHECK_FALSE(rollback_hold(records, "c4"));
}

TEST_CASE("rollback hold: the restored record's own commit is not held") {
  // Going back to the commit that was restored (a revert by force-push) is deployed as usual.
  std::vector<history::RecordSummary> records = {
      record(4, kRollback, "c3", 2), record(3, kReconcile, "c3"), record(2, kApply, "c2")};
  CHECK_FALSE(rollback_hold(records, "c2"));
}

TEST_CASE("rollback hold: survives the loop's own rollbacks that heal drift") {
  std::vector<history::RecordSummary> records = {
      record(5, kRollback, "c3", 2), record(4, kRollback, "c3", 2), record(3, kReconcile, "c3"),
      record(2, kApply, "c2")};
  std::optional<RollbackHold> hold = rollback_hold(records, "c3");
  REQUIRE(hold);
  CHECK(hold->rollback_record == 5);
  CHECK(hold->restored == 2);
}

TEST_CASE("rollback hold: none when the newest record is not a rollback, or there are none") {
  CHECK_FALSE(rollback_hold({}, "c1"));
  std::vector<history::RecordSummary> records = {
      record(3, kReconcile, "c3"), record(2, kRollback, "c2", 1), record(1, kApply, "c2")};
  CHECK_FALSE(rollback_hold(records, "c2"));
}

TEST_CASE("rollback hold: outside git a rollback holds until the next apply") {
  std::vector<history::RecordSummary> records = {record(2, kRollback, "", 1),
                                                 record(1, kApply, "")};
  CHECK(rollback_hold(records, ""));
}

TEST_CASE("wakeup: an event that came during a tick wakes the next wait at once") {
  Wakeup wakeup;
  wakeup.event("die shop-dev-web-1");
  std::string what;
  auto started = std::chrono::steady_clock::now();
  CHECK(wakeup.wait(milliseconds(5000), true, &what) == WakeReason::kEvent);
  CHECK(std::chrono::steady_clock::now() - started < milliseconds(1000));
  CHECK(what == "die shop-dev-web-1");
  CHECK(wakeup.wait(milliseconds(10), true) == WakeReason::kTimer);
}

TEST_CASE("wakeup: while backing off, events are consumed but do not wake") {
  Wakeup wakeup;
  wakeup.event("stop shop-dev-web-1");
  CHECK(wakeup.wait(milliseconds(50), false) == WakeReason::kTimer);
  CHECK(wakeup.wait(milliseconds(10), true) == WakeReason::kTimer);
}

TEST_CASE("wakeup: stop wakes a sleeper from another thread and every later wait") {
  Wakeup wakeup;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    wakeup.stop();
  });
  auto started = std::chrono::steady_clock::now();
  CHECK(wakeup.wait(milliseconds(10000), false) == WakeReason::kStop);
  CHECK(std::chrono::steady_clock::now() - started < milliseconds(5000));
  stopper.join();
  CHECK(wakeup.wait(milliseconds(10000), true) == WakeReason::kStop);
  CHECK(wakeup.stopping());
}

TEST_CASE("loop: runs a tick at once, backs off after a failure, and stops when asked") {
  LoopSettings settings;
  settings.interval = milliseconds(10);
  settings.backoff = {milliseconds(20), milliseconds(40)};
  Wakeup wakeup;
  std::vector<std::string> triggers;
  auto tick = [&](const std::string& trigger) {
    triggers.push_back(trigger);
    TickReport report;
    report.result = triggers.size() == 2 ? TickResult::kFailure : TickResult::kSuccess;
    if (triggers.size() == 4) wakeup.stop();
    return report;
  };
  int ticks = run_loop(settings, wakeup, tick, [] { return 0.0; });
  CHECK(ticks == 4);
  REQUIRE(triggers.size() == 4);
  CHECK(triggers[0] == "start");
  CHECK(triggers[1] == "interval");
}

TEST_CASE(
    "event watch: a container event is described by its action and name; anything else is not") {
  CHECK(
      describe_event(
          R"({"Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"name":"shop-dev-web-1","exitCode":"137"}}})") ==
      "die shop-dev-web-1");
  CHECK(describe_event(R"({"Type":"container","Action":"destroy","Actor":{"ID":"abc"}})") ==
        "destroy");
  CHECK(describe_event(R"({"Type":"network","Action":"destroy"})").empty());
  CHECK(describe_event("not json").empty());
  CHECK(describe_event("[]").empty());
}

}  // namespace run::reconcile
