// The status page served at `/` (reconcile/status_page.h): what it shows, and that text from
// outside (errors, summaries, drift, names) cannot inject markup.
#include <doctest/doctest.h>

#include "reconcile/status_page.h"

namespace run::reconcile {

namespace {

constexpr std::string_view kCommit = "0123456789abcdef0123456789abcdef01234567";

LoopStatus converged_status() {
  LoopStatus status;
  status.project = "shop";
  status.environment = "production";
  status.source = "origin/main";
  status.interval_seconds = 60;
  status.started_at = "2026-11-29T07:00:00Z";
  status.version = "0.9.0";
  status.applied_commit = std::string(kCommit);
  TickReport tick;
  tick.result = TickResult::kSuccess;
  tick.seconds = 1.25;
  tick.finished_at = "2026-11-29T07:30:00Z";
  tick.commit = std::string(kCommit);
  tick.plan_summary = "1 to add, 0 to change, 0 to replace, 0 to destroy";
  tick.record_number = 13;
  status.last_tick = tick;
  status.last_success = tick;
  history::RecordSummary record;
  record.number = 13;
  record.time = "2026-11-29T07:30:00Z";
  record.kind = history::RecordKind::kReconcile;
  record.outcome = history::Outcome::kSucceeded;
  record.source_commit = std::string(kCommit);
  record.summary = "1 to add";
  status.recent_history = {record};
  return status;
}

}  // namespace

TEST_CASE("status page: html_escape escapes the five characters of HTML") {
  CHECK(html_escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  CHECK(html_escape("plain") == "plain");
}

TEST_CASE("status page: a converged loop shows its names, commit, result, plan and history") {
  std::string page = status_page_html(converged_status());
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<title>run: shop/production</title>") != std::string::npos);
  CHECK(page.find("<span id=\"environment\">production</span>") != std::string::npos);
  CHECK(page.find("watching origin/main every 60 s") != std::string::npos);
  CHECK(page.find("<code id=\"commit\" title=\"" + std::string(kCommit) +
                  "\">0123456789ab</code>") != std::string::npos);
  CHECK(page.find("id=\"last-result\" class=\"result success\">success</span>") !=
        std::string::npos);
  CHECK(
      page.find("<dd id=\"plan-summary\">1 to add, 0 to change, 0 to replace, 0 to destroy</dd>") !=
      std::string::npos);
  CHECK(page.find("<p id=\"drift\">none</p>") != std::string::npos);
  CHECK(page.find("<table id=\"history\">") != std::string::npos);
  CHECK(page.find("<td>#13</td><td>2026-11-29T07:30:00Z</td><td>reconcile</td>") !=
        std::string::npos);
  CHECK(page.find("<meta http-equiv=\"refresh\" content=\"10\">") != std::string::npos);
  // Self-contained: nothing to run, nothing to fetch.
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
  CHECK(page.find("href=") == std::string::npos);
  CHECK(page.find("id=\"hold\"") == std::string::npos);
  CHECK(page.find("id=\"error\"") == std::string::npos);
}

TEST_CASE("status page: before the first tick it says so instead of showing empty fields") {
  LoopStatus status;
  status.project = "shop";
  status.environment = "dev";
  status.source = "working tree";
  std::string page = status_page_html(status);
  CHECK(page.find("<span id=\"commit\">none yet</span>") != std::string::npos);
  CHECK(page.find("class=\"result none\">no tick yet</span>") != std::string::npos);
  CHECK(page.find("<dd id=\"plan-summary\">none yet</dd>") != std::string::npos);
  CHECK(page.find("<p id=\"drift\">none</p>") != std::string::npos);
  CHECK(page.find("no deployments yet") != std::string::npos);
}

TEST_CASE("status page: a failing tick shows its error, the drift, the failures and a hold") {
  LoopStatus status = converged_status();
  status.consecutive_failures = 3;
  status.last_tick->result = TickResult::kFailure;
  status.last_tick->error = "docker: connection refused";
  status.last_tick->drift = {"container shop-production-web-1: not running (start)"};
  status.last_tick->hold_of = 12;
  std::string page = status_page_html(status);
  CHECK(page.find("class=\"result failure\">failure</span>") != std::string::npos);
  CHECK(page.find("<dd id=\"error\" class=\"error\">docker: connection refused</dd>") !=
        std::string::npos);
  CHECK(page.find("<ul id=\"drift\">\n<li>container shop-production-web-1: not running "
                  "(start)</li>") != std::string::npos);
  CHECK(page.find("<dd id=\"failures\">3</dd>") != std::string::npos);
  CHECK(page.find("the state of record #12 is kept") != std::string::npos);
}

TEST_CASE("status page: hostile text from errors, drift, names and history is escaped") {
  LoopStatus status = converged_status();
  status.project = "<img src=x onerror=alert(1)>";
  status.source = "origin/\"main\"";
  status.applied_commit = "\"><script>alert('commit')</script>";
  status.last_tick->result = TickResult::kFailure;
  status.last_tick->error = "<script>alert('error')</script>";
  status.last_tick->plan_summary = "<b>bold</b> & more";
  status.last_tick->drift = {"<iframe src=evil>"};
  status.recent_history[0].summary = "</td><script>x</script>";
  status.recent_history[0].time = "<s>";
  std::string page = status_page_html(status);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("<iframe") == std::string::npos);
  CHECK(page.find("<b>") == std::string::npos);
  CHECK(page.find("<s>") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(&#39;error&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(page.find("title=\"&quot;&gt;&lt;script&gt;alert(&#39;commit&#39;)&lt;/script&gt;\"") !=
        std::string::npos);
  CHECK(page.find("&lt;b&gt;bold&lt;/b&gt; &amp; more") != std::string::npos);
  CHECK(page.find("origin/&quot;main&quot;") != std::string::npos);
}

}  // namespace run::reconcile
