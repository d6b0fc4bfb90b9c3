#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "reconcile/tick_report.h"

namespace run::reconcile {

/// The loop's Prometheus metrics. Thread-safe: the loop records ticks, /metrics reads.
///
///   run_reconcile_total{result="success|failure|skipped"}   counter
///   run_reconcile_duration_seconds                          histogram (_bucket{le}, _sum, _count)
///   run_last_success_timestamp_seconds                      gauge (0 until a tick succeeds)
///   run_drift_detected_total                                counter: ticks that found live drift
///   run_actions_total{action="create|update|replace|start|remove"}  counter: actions executed
///   run_consecutive_failures                                gauge
///   run_build_info{version="..."} 1                         gauge
///
/// Every family is always present (zero-valued counters for each result and action), with
/// # HELP and # TYPE lines, in a stable order, so a scrape right after start is complete.
class Metrics {
 public:
  explicit Metrics(std::string version);

  /// Counts one tick; `finished_unix` is its end in seconds since the epoch.
  void record_tick(const TickReport& tick, double finished_unix);

  /// The text exposition format (version 0.0.4), ending with a newline.
  std::string prometheus_text() const;

 private:
  mutable std::mutex mutex_;
  std::string version_;
  std::map<std::string, unsigned long long> ticks_by_result_;
  std::map<std::string, unsigned long long> actions_by_kind_;
  std::vector<unsigned long long> duration_buckets_;  ///< cumulative counts per bound
  double duration_sum_ = 0;
  unsigned long long duration_count_ = 0;
  double last_success_unix_ = 0;
  unsigned long long drift_ticks_ = 0;
  int consecutive_failures_ = 0;
};

}  // namespace run::reconcile
