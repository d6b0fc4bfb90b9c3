#include "reconcile/metrics.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace run::reconcile {

namespace {

/// Upper bounds of the duration histogram, in seconds: a tick with nothing to do takes well
/// under a second, a pull or a rolling replace minutes.
constexpr std::array kDurationBounds = {0.05, 0.1,  0.25, 0.5,  1.0,   2.5,
                                        5.0,  10.0, 30.0, 60.0, 120.0, 300.0};

/// The action kinds every scrape lists, even at zero, so a dashboard's rate() has a series.
constexpr std::array kActionKinds = {"create", "update", "replace", "start", "remove"};

/// A sample value as the exposition format reads it: the shortest text that round-trips
/// (fmt never uses the locale), and Prometheus' own spellings of the special values.
std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

/// A label value escaped as the exposition format asks: backslash, double quote, newline.
std::string escape_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void append_header(std::string& text, std::string_view name, std::string_view help,
                   std::string_view type) {
  text += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

Metrics::Metrics(std::string version)
    : version_(std::move(version)), duration_buckets_(kDurationBounds.size(), 0) {
  for (TickResult result : {TickResult::kSuccess, TickResult::kFailure, TickResult::kSkipped}) {
    ticks_by_result_[std::string(to_string(result))] = 0;
  }
  for (const char* kind : kActionKinds) actions_by_kind_[kind] = 0;
}

void Metrics::record_tick(const TickReport& tick, double finished_unix) {
  std::lock_guard lock(mutex_);
  ++ticks_by_result_[std::string(to_string(tick.result))];
  for (std::size_t i = 0; i < kDurationBounds.size(); ++i) {
    if (tick.seconds <= kDurationBounds[i]) ++duration_buckets_[i];
  }
  duration_sum_ += tick.seconds;
  ++duration_count_;
  if (!tick.drift.empty()) ++drift_ticks_;
  for (const auto& [kind, count] : tick.actions_done) {
    if (count > 0) actions_by_kind_[kind] += static_cast<unsigned long long>(count);
  }
  // A skipped tick tried nothing: it neither ends nor extends a run of failures.
  if (tick.result == TickResult::kSuccess) {
    consecutive_failures_ = 0;
    last_success_unix_ = finished_unix;
  } else if (tick.result == TickResult::kFailure) {
    ++consecutive_failures_;
  }
}

std::string Metrics::prometheus_text() const {
  std::lock_guard lock(mutex_);
  std::string text;

  append_header(text, "run_reconcile_total", "Reconcile ticks, by how they ended.", "counter");
  for (const auto& [result, count] : ticks_by_result_) {
    text +=
        fmt::format("run_reconcile_total{{result=\"{}\"}} {}\n", escape_label_value(result), count);
  }

  append_header(text, "run_reconcile_duration_seconds", "Wall time of each reconcile tick.",
                "histogram");
  for (std::size_t i = 0; i < kDurationBounds.size(); ++i) {
    text += fmt::format("run_reconcile_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                        format_value(kDurationBounds[i]), duration_buckets_[i]);
  }
  text += fmt::format("run_reconcile_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", duration_count_);
  text += fmt::format("run_reconcile_duration_seconds_sum {}\n", format_value(duration_sum_));
  text += fmt::format("run_reconcile_duration_seconds_count {}\n", duration_count_);

  append_header(text, "run_last_success_timestamp_seconds",
                "End of the last successful tick, in seconds since the epoch (0: none yet).",
                "gauge");
  text += fmt::format("run_last_success_timestamp_seconds {}\n", format_value(last_success_unix_));

  append_header(text, "run_drift_detected_total", "Ticks that found live drift.", "counter");
  text += fmt::format("run_drift_detected_total {}\n", drift_ticks_);

  append_header(text, "run_actions_total", "Actions executed successfully, by kind.", "counter");
  for (const auto& [kind, count] : actions_by_kind_) {
    text += fmt::format("run_actions_total{{action=\"{}\"}} {}\n", escape_label_value(kind), count);
  }

  append_header(text, "run_consecutive_failures", "Failed ticks since the last successful one.",
                "gauge");
  text += fmt::format("run_consecutive_failures {}\n", consecutive_failures_);

  append_header(text, "run_build_info", "The version of run that serves these metrics.", "gauge");
  text += fmt::format("run_build_info{{version=\"{}\"}} 1\n", escape_label_value(version_));
  return text;
}

}  // namespace run::reconcile
