#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace run::reconcile {

/// How one reconcile tick ended, as /metrics labels it (run_reconcile_total{result}).
enum class TickResult {
  kSuccess,  ///< the environment matches its configuration (nothing to do, or applied)
  kFailure,  ///< a fetch, load, plan, apply or record failed: counted, backed off, retried
  kSkipped,  ///< another apply held the environment's lock: nothing was tried
};

std::string_view to_string(TickResult result);  ///< "success", "failure", "skipped"

/// What one tick did: the loop fills it, and metrics, logs, the status page and
/// notifications read it. Plain values, no behaviour.
struct TickReport {
  TickResult result = TickResult::kSuccess;
  double seconds = 0;       ///< wall time of the whole tick
  std::string finished_at;  ///< ISO 8601 UTC ("2026-11-29T07:30:00Z")
  std::string commit;       ///< the config's commit (40 hex); empty: a working tree with no git
  std::string
      plan_summary;      ///< "1 to add, 0 to change, ..." of the plan made; empty if none was made
  bool applied = false;  ///< actions were executed (whatever their outcome)
  std::map<std::string, int>
      actions_done;                  ///< executed successfully, by action kind: "create" -> 2
  std::vector<std::string> drift;    ///< one line per action caused by live drift, e.g.
                                     ///< "container shop-dev-web-1: not running (start)"
  std::optional<int> record_number;  ///< the deployment record written, if any
  std::optional<int> hold_of;  ///< a rollback hold is in force: the record whose state is kept
  std::string error;           ///< why it failed or was skipped (one line); empty on success
};

}  // namespace run::reconcile
