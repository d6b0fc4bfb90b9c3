#pragma once

#include <optional>
#include <string>
#include <vector>

#include "history/record.h"

namespace run::reconcile {

/// After `run rollback`, the loop keeps the rolled-back state until a newer commit arrives,
/// instead of deploying the bad commit again.
struct RollbackHold {
  int rollback_record = 0;  ///< the newest record: the rollback whose state is kept
  int restored = 0;         ///< the record that rollback restored
};

/// Whether a hold is in force for the config at `commit`, from the records (newest first).
/// It is when the newest record is a rollback (of record R) and `commit` is the source of a
/// deployment made after R: one of the commits that were rolled back. Any other commit is
/// newer than the hold and is deployed, which ends it. Rollbacks the loop itself writes
/// while holding (to heal drift) are rollbacks of R too, so the hold survives them.
/// Outside git (`commit` empty) no commit can arrive: a rollback holds until the next
/// `run apply`.
std::optional<RollbackHold> rollback_hold(const std::vector<history::RecordSummary>& newest_first,
                                          const std::string& commit);

}  // namespace run::reconcile
