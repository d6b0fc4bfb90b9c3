#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "history/record.h"

namespace run::history {

/// The record `run rollback` goes back to, from the environment's records (newest first):
/// `to` when given, else the newest successful record older than the newest one (the
/// deployment being rolled back). Errors: no records at all; no successful record before the
/// newest. Pure: whether record `to` exists is for the store that reads it to say.
Result<int> rollback_target(const std::vector<RecordSummary>& newest_first,
                            const std::string& environment, std::optional<int> to);

}  // namespace run::history
