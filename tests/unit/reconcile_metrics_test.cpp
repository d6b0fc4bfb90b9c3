// The loop's Prometheus metrics (reconcile/metrics.h): the exact lines a scrape gets after a
// sequence of ticks, the cumulative histogram, the failure streak and label escaping.
#include <doctest/doctest.h>

#include <sstream>

#include "reconcile/metrics.h"

namespace run::reconcile {

namespace {

TickReport tick(TickResult result, double seconds) {
  TickReport report;
  report.result = result;
  report.seconds = seconds;
  return report;
}

/// The sample lines (not # comments) of `text` whose metric name starts with `prefix`.
std::string samples(const std::string& text, const std::string& prefix) {
  std::istringstream lines(text);
  std::string line;
  std::string found;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) == 0) found += line + "\n";
  }
  return found;
}

}  // namespace

TEST_CASE("metrics: a scrape before any tick lists every family at zero, with help and type") {
  Metrics metrics("1.2.3");
  std::string text = metrics.prometheus_text();
  CHECK(text == R"(# HELP run_reconcile_total Reconcile ticks, by how they ended.
# TYPE run_reconcile_total counter
run_reconcile_total{result="failure"} 0
run_reconcile_total{result="skipped"} 0
run_reconcile_total{result="success"} 0
# HELP run_reconcile_duration_seconds Wall time of each reconcile tick.
# TYPE run_reconcile_duration_seconds histogram
run_reconcile_duration_seconds_bucket{le="0.05"} 0
run_reconcile_duration_seconds_bucket{le="0.1"} 0
run_reconcile_duration_seconds_bucket{le="0.25"} 0
run_reconcile_duration_seconds_bucket{le="0.5"} 0
run_reconcile_duration_seconds_bucket{le="1"} 0
run_reconcile_duration_seconds_bucket{le="2.5"} 0
run_reconcile_duration_seconds_bucket{le="5"} 0
run_reconcile_duration_seconds_bucket{le="10"} 0
run_reconcile_duration_seconds_bucket{le="30"} 0
run_reconcile_duration_seconds_bucket{le="60"} 0
run_reconcile_duration_seconds_bucket{le="120"} 0
run_reconcile_duration_seconds_bucket{le="300"} 0
run_reconcile_duration_seconds_bucket{le="+Inf"} 0
run_reconcile_duration_seconds_sum 0
run_reconcile_duration_seconds_count 0
# HELP run_last_success_timestamp_seconds End of the last successful tick, in seconds since the epoch (0: none yet).
# TYPE run_last_success_timestamp_seconds gauge
run_last_success_timestamp_seconds 0
# HELP run_drift_detected_total Ticks that found live drift.
# TYPE run_drift_detected_total counter
run_drift_detected_total 0
# HELP run_actions_total Actions executed successfully, by kind.
# TYPE run_actions_total counter
run_actions_total{action="create"} 0
run_actions_total{action="remove"} 0
run_actions_total{action="replace"} 0
run_actions_total{action="start"} 0
run_actions_total{action="update"} 0
# HELP run_consecutive_failures Failed ticks since the last successful one.
# TYPE run_consecutive_failures gauge
run_consecutive_failures 0
# HELP run_build_info The version of run that serves these metrics.
# TYPE run_build_info gauge
run_build_info{version="1.2.3"} 1
)");
}

TEST_CASE("metrics: ticks are counted by result, their durations in cumulative buckets") {
  Metrics metrics("1.2.3");
  metrics.record_tick(tick(TickResult::kSuccess, 0.3), 1000);
  metrics.record_tick(tick(TickResult::kFailure, 2.0), 1100);
  metrics.record_tick(tick(TickResult::kSkipped, 0.05), 1200);  // on a bound: counted in it
  metrics.record_tick(tick(TickResult::kSuccess, 400), 1300);   // past the last bound
  std::string text = metrics.prometheus_text();

  CHECK(samples(text, "run_reconcile_total") ==
        "run_reconcile_total{result=\"failure\"} 1\n"
        "run_reconcile_total{result=\"skipped\"} 1\n"
        "run_reconcile_total{result=\"success\"} 2\n");
  CHECK(samples(text, "run_reconcile_duration_seconds") ==
        "run_reconcile_duration_seconds_bucket{le=\"0.05\"} 1\n"
        "run_reconcile_duration_seconds_bucket{le=\"0.1\"} 1\n"
        "run_reconcile_duration_seconds_bucket{le=\"0.25\"} 1\n"
        "run_reconcile_duration_seconds_bucket{le=\"0.5\"} 2\n"
        "run_reconcile_duration_seconds_bucket{le=\"1\"} 2\n"
        "run_reconcile_duration_seconds_bucket{le=\"2.5\"} 3\n"
        "run_reconcile_duration_seconds_bucket{le=\"5\"} 3\n"
        "run_reconcile_duration_seconds_bucket{le=\"10\"} 3\n"
        "run_reconcile_duration_seconds_bucket{le=\"30\"} 3\n"
        "run_reconcile_duration_seconds_bucket{le=\"60\"} 3\n"
        "run_reconcile_duration_seconds_bucket{le=\"120\"} 3\n"
        "run_reconcile_duration_seconds_bucket{le=\"300\"} 3\n"
        "run_reconcile_duration_seconds_bucket{le=\"+Inf\"} 4\n"
        "run_reconcile_duration_seconds_sum 402.35\n"
        "run_reconcile_duration_seconds_count 4\n");
  CHECK(samples(text, "run_last_success_timestamp_seconds") ==
        "run_last_success_timestamp_seconds 1300\n");
}

TEST_CASE(
    "metrics: a failed tick raises consecutive failures, a success resets them, a skip "
    "leaves them") {
  Metrics metrics("1.2.3");
  auto failures = [&] { return samples(metrics.prometheus_text(), "run_consecutive_failures"); };
  metrics.record_tick(tick(TickResult::kFailure, 1), 10);
  metrics.record_tick(tick(TickResult::kFailure, 1), 20);
  CHECK(failures() == "run_consecutive_failures 2\n");
  metrics.record_tick(tick(TickResult::kSkipped, 1), 30);
  CHECK(failures() == "run_consecutive_failures 2\n");
  metrics.record_tick(tick(TickResult::kFailure, 1), 40);
  CHECK(failures() == "run_consecutive_failures 3\n");
  metrics.record_tick(tick(TickResult::kSuccess, 1), 50);
  CHECK(failures() == "run_consecutive_failures 0\n");
  metrics.record_tick(tick(TickResult::kFailure, 1), 60);
  CHECK(failures() == "run_consecutive_failures 1\n");
  // The failure after the success does not move the last success.
  CHECK(samples(metrics.prometheus_text(), "run_last_success_timestamp_seconds") ==
        "run_last_success_timestamp_seconds 50\n");
}

TEST_CASE("metrics: the last success keeps its fraction of a second, without an exponent") {
  Metrics metrics("1.2.3");
  metrics.record_tick(tick(TickResult::kSuccess, 0.125), 1764401400.25);
  CHECK(samples(metrics.prometheus_text(), "run_last_success_timestamp_seconds") ==
        "run_last_success_timestamp_seconds 1764401400.25\n");
}

TEST_CASE("metrics: ticks with drift and the actions executed are counted, other kinds too") {
  Metrics metrics("1.2.3");
  TickReport healed = tick(TickResult::kSuccess, 1);
  healed.drift = {"container shop-dev-web-1: not running (start)",
                  "container shop-dev-db-1: image changed (replace)"};
  healed.actions_done = {{"start", 1}, {"replace", 1}};
  TickReport deployed = tick(TickResult::kFailure, 1);
  deployed.actions_done = {{"create", 2}, {"prune", 1}};
  metrics.record_tick(healed, 10);
  metrics.record_tick(deployed, 20);
  metrics.record_tick(healed, 30);
  std::string text = metrics.prometheus_text();
  CHECK(samples(text, "run_drift_detected_total") == "run_drift_detected_total 2\n");
  CHECK(samples(text, "run_actions_total") ==
        "run_actions_total{action=\"create\"} 2\n"
        "run_actions_total{action=\"prune\"} 1\n"
        "run_actions_total{action=\"remove\"} 0\n"
        "run_actions_total{action=\"replace\"} 2\n"
        "run_actions_total{action=\"start\"} 2\n"
        "run_actions_total{action=\"update\"} 0\n");
}

TEST_CASE("metrics: label values escape backslash, double quote and newline") {
  Metrics metrics("1.0 \"dev\"\\build\nx");
  TickReport odd = tick(TickResult::kSuccess, 1);
  odd.actions_done = {{"a\"b", 1}};
  metrics.record_tick(odd, 10);
  std::string text = metrics.prometheus_text();
  CHECK(samples(text, "run_build_info") ==
        "run_build_info{version=\"1.0 \\\"dev\\\"\\\\build\\nx\"} 1\n");
  CHECK(samples(text, "run_actions_total{action=\"a") ==
        "run_actions_total{action=\"a\\\"b\"} 1\n");
}

}  // namespace run::reconcile
