#include "history/rollback_target.h"

namespace run::history {

Result<int> rollback_target(const std::vector<RecordSummary>& newest_first,
                            const std::string& environment, std::optional<int> to) {
  if (newest_first.empty())
    return usage_error("environment '" + environment +
                           "' has no deployment records: there is nothing to roll back to",
                       "records are written by 'run apply --env " + environment + "'");
  if (to) return *to;
  for (std::size_t i = 1; i < newest_first.size(); ++i)
    if (newest_first[i].outcome == Outcome::kSucceeded) return newest_first[i].number;
  return usage_error("environment '" + environment + "' has no successful record before #" +
                         std::to_string(newest_first.front().number),
                     "'run history --env " + environment + "' lists them; pick one with --to N");
}

}  // namespace run::history
