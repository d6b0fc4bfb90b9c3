#include "reconcile/status_page.h"

#include <fmt/format.h>

namespace run::reconcile {

namespace {

/// How many characters of a commit id the page shows; the full id is in the title.
constexpr std::size_t kShortCommitLength = 12;

/// Plain system fonts, one narrow column; results colour-coded (green, red, grey).
constexpr std::string_view kStyle = R"(
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0; }
h2 { font-size: 1.1rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
.sub { color: #59636e; margin-top: 0.25rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.25rem 1.5rem; }
dt { color: #59636e; }
dd { margin: 0; }
code { font: 0.9em ui-monospace, SFMono-Regular, Menlo, monospace; }
.result { font-weight: 600; padding: 0 0.4em; border-radius: 4px; }
.success, .succeeded { background: #dafbe1; color: #116329; }
.failure, .failed, .interrupted { background: #ffebe9; color: #a40e26; }
.skipped, .none { background: #eaeef2; color: #59636e; }
.error { color: #a40e26; white-space: pre-wrap; }
.hold { background: #fff8c5; padding: 0.5rem 0.75rem; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.6rem; border-bottom: 1px solid #d0d7de; }
th { color: #59636e; font-weight: 600; }
)";

std::string short_commit(const std::string& commit) { return commit.substr(0, kShortCommitLength); }

/// A commit as `<code>`: its first characters, the full id on hover; `empty_text` if none.
std::string commit_html(const std::string& commit, std::string_view id_attribute,
                        std::string_view empty_text) {
  if (commit.empty()) return fmt::format("<span{}>{}</span>", id_attribute, empty_text);
  return fmt::format("<code{} title=\"{}\">{}</code>", id_attribute, html_escape(commit),
                     html_escape(short_commit(commit)));
}

std::string settings_html(const LoopStatus& status) {
  std::string line =
      fmt::format("watching {} every {} s", html_escape(status.source), status.interval_seconds);
  if (!status.started_at.empty()) line += " · started " + html_escape(status.started_at);
  if (!status.version.empty()) line += " · run " + html_escape(status.version);
  return "<p class=\"sub\">" + line + "</p>\n";
}

std::string last_tick_html(const LoopStatus& status) {
  if (!status.last_tick) {
    return "<dt>Last tick</dt><dd><span id=\"last-result\" class=\"result none\">no tick yet"
           "</span></dd>\n<dt>Plan</dt><dd id=\"plan-summary\">none yet</dd>\n";
  }
  const TickReport& tick = *status.last_tick;
  std::string_view result = to_string(tick.result);
  std::string html = fmt::format(
      "<dt>Last tick</dt><dd><span id=\"last-result\" class=\"result {}\">{}</span> at {}, "
      "took {:.1f} s</dd>\n",
      result, result, html_escape(tick.finished_at), tick.seconds);
  std::string summary = tick.plan_summary.empty() ? "no plan made" : tick.plan_summary;
  html += "<dt>Plan</dt><dd id=\"plan-summary\">" + html_escape(summary) + "</dd>\n";
  if (tick.record_number) html += fmt::format("<dt>Record</dt><dd>#{}</dd>\n", *tick.record_number);
  if (!tick.error.empty()) {
    html += "<dt>Error</dt><dd id=\"error\" class=\"error\">" + html_escape(tick.error) + "</dd>\n";
  }
  return html;
}

std::string now_section(const LoopStatus& status) {
  std::string html = "<h2>Now</h2>\n<dl>\n";
  html += "<dt>Commit applied</dt><dd>" +
          commit_html(status.applied_commit, " id=\"commit\"", "none yet") + "</dd>\n";
  html += last_tick_html(status);
  if (status.last_success && status.last_tick && status.last_tick->result != TickResult::kSuccess) {
    html += "<dt>Last success</dt><dd>" + html_escape(status.last_success->finished_at) + "</dd>\n";
  }
  html += fmt::format("<dt>Consecutive failures</dt><dd id=\"failures\">{}</dd>\n",
                      status.consecutive_failures);
  html += "</dl>\n";
  if (status.last_tick && status.last_tick->hold_of) {
    html += fmt::format(
        "<p id=\"hold\" class=\"hold\">A rollback hold is in force: the state of record #{} is "
        "kept.</p>\n",
        *status.last_tick->hold_of);
  }
  return html;
}

std::string drift_section(const LoopStatus& status) {
  std::string html = "<h2>Drift</h2>\n";
  if (!status.last_tick || status.last_tick->drift.empty()) {
    return html + "<p id=\"drift\">none</p>\n";
  }
  html += "<ul id=\"drift\">\n";
  for (const std::string& line : status.last_tick->drift) {
    html += "<li>" + html_escape(line) + "</li>\n";
  }
  return html + "</ul>\n";
}

std::string history_row(const history::RecordSummary& record) {
  std::string kind(history::to_string(record.kind));
  if (record.rollback_of) kind += fmt::format(" of #{}", *record.rollback_of);
  std::string_view outcome = history::to_string(record.outcome);
  std::string source = commit_html(record.source_commit, "", "none");
  if (record.source_dirty) source += " (dirty)";
  return fmt::format(
      "<tr><td>#{}</td><td>{}</td><td>{}</td><td><span class=\"result {}\">{}</span></td>"
      "<td>{}</td><td>{}</td></tr>\n",
      record.number, html_escape(record.time), html_escape(kind), outcome, outcome, source,
      html_escape(record.summary));
}

std::string history_section(const LoopStatus& status) {
  std::string html =
      "<h2>Recent deployments</h2>\n<table id=\"history\">\n<thead><tr><th>#</th><th>Time</th>"
      "<th>Kind</th><th>Outcome</th><th>Source commit</th><th>Summary</th></tr></thead>\n"
      "<tbody>\n";
  if (status.recent_history.empty()) {
    html += "<tr><td colspan=\"6\">no deployments yet</td></tr>\n";
  }
  for (const history::RecordSummary& record : status.recent_history) html += history_row(record);
  return html + "</tbody>\n</table>\n";
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string status_page_html(const LoopStatus& status) {
  std::string title = "run: " + html_escape(status.project) + "/" + html_escape(status.environment);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"refresh\" content=\"10\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + title + "</title>\n<style>" + std::string(kStyle) + "</style>\n";
  html += "</head>\n<body>\n";
  html += fmt::format(
      "<h1>run: <span id=\"project\">{}</span>/<span id=\"environment\">{}</span>"
      "</h1>\n",
      html_escape(status.project), html_escape(status.environment));
  html += settings_html(status);
  html += now_section(status);
  html += drift_section(status);
  html += history_section(status);
  return html + "</body>\n</html>\n";
}

}  // namespace run::reconcile
