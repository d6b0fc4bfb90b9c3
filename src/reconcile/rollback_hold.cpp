#include "reconcile/rollback_hold.h"

#include <algorithm>

namespace run::reconcile {

namespace {

/// Whether `record` deployed the configuration at `commit` after the restored record.
bool rolled_back_deployment_of(const history::RecordSummary& record, int restored,
                               const std::string& commit) {
  return record.number > restored && record.kind != history::RecordKind::kRollback &&
         history::is_deployment(record.kind) && record.source_commit == commit;
}

}  // namespace

std::optional<RollbackHold> rollback_hold(const std::vector<history::RecordSummary>& newest_first,
                                          const std::string& commit) {
  // A task run since the rollback changed no service: the hold is the newest deployment's.
  auto deployment = std::find_if(newest_first.begin(), newest_first.end(), [](const auto& record) {
    return history::is_deployment(record.kind);
  });
  if (deployment == newest_first.end()) return std::nullopt;
  const history::RecordSummary& newest = *deployment;
  if (newest.kind != history::RecordKind::kRollback || !newest.rollback_of) return std::nullopt;
  RollbackHold hold{newest.number, *newest.rollback_of};
  if (commit.empty()) return hold;
  for (const history::RecordSummary& record : newest_first)
    if (rolled_back_deployment_of(record, hold.restored, commit)) return hold;
  return std::nullopt;
}

}  // namespace run::reconcile
