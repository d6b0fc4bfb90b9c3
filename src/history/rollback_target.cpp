#include "history/rollback_target.h"

namespace run::history {

Result<int> rollback_target(const std::vector<RecordSummary>& newest_first,
                            const std::string& environment, std::optional<int> to) {
  if (newest_first.empty())
    return usage_error("environment '" + environment +
                           "' has no deployment records: there is nothing to roll back to",
                       "records are written by 'run apply --env " + environment + "'");
  if (to) return *to;
  // The newest deployment is the one to go back from; a task record changed no service.
  std::size_t newest = 0;
  while (newest < newest_first.size() && !is_deployment(newest_first[newest].kind)) ++newest;
  for (std::size_t i = newest + 1; i < newest_first.size(); ++i)
    if (newest_first[i].outcome == Outcome::kSucceeded && is_deployment(newest_first[i].kind))
      return newest_first[i].number;
  return usage_error("environment '" + environment + "' has no successful record before #" +
                         std::to_string(newest_first.front().number),
                     "'run history --env " + environment + "' lists them; pick one with --to N");
}

}  // namespace run::history
