#include "reconcile/notify_policy.h"

namespace run::reconcile {

std::vector<NotifyKind> notifications_for(const TickReport& report, bool previous_failed) {
  std::vector<NotifyKind> kinds;
  if (!report.drift.empty()) kinds.push_back(NotifyKind::kDriftDetected);
  bool failed = report.result == TickResult::kFailure;
  if (failed && (report.applied || !previous_failed)) kinds.push_back(NotifyKind::kApplyFailed);
  if (!failed && report.applied) kinds.push_back(NotifyKind::kApplySucceeded);
  return kinds;
}

}  // namespace run::reconcile
