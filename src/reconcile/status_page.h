#pragma once

#include <string>

#include "reconcile/loop_status.h"

namespace run::reconcile {

/// The read-only status page served at `/`: one self-contained HTML5 document (inline CSS,
/// no script, no external resource; it reloads itself every 10 s with <meta refresh>). It
/// shows the project and environment, the source and interval, the commit applied, the last
/// tick (result, time, plan summary, error), a rollback hold, the drift the last tick found,
/// and the recent history as a table (number, time, kind, outcome, source commit, summary).
/// Every text that came from outside (errors, summaries, names) is HTML-escaped.
/// Elements tests look for carry ids: #environment, #commit, #last-result, #plan-summary,
/// #drift, #history.
std::string status_page_html(const LoopStatus& status);

/// `text` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string html_escape(const std::string& text);

}  // namespace run::reconcile
