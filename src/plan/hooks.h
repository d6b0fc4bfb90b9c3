#pragma once

#include <string>
#include <vector>

#include "model/desired_state.h"
#include "plan/action.h"

namespace run::plan {

struct Plan;

/// Whether a hook of a plan runs: a plan shows the hooks it skips too, so that a reviewer
/// sees why a migration will not run.
enum class HookDecision { kRuns, kSkipped };

/// One pre- or post-deploy task of a plan with changes, and why it runs or not.
struct PlannedHook {
  std::string task;
  model::TaskWhen when = model::TaskWhen::kPreDeploy;
  HookDecision decision = HookDecision::kRuns;
  /// "the plan changes something", "services.app.image changes",
  /// "none of services.app.image changes".
  std::string reason;

  bool runs() const { return decision == HookDecision::kRuns; }
  bool operator==(const PlannedHook&) const = default;
};

/// Whether anything of the environment is deployed: its pre-deploy hooks have something to
/// run against (its network, its services) only then.
enum class Deployed { kYes, kNotYet };

/// The hooks of `tasks` for `plan`, pre-deploy ones first, each kind by name. None for a plan
/// without changes. On a first deployment (kNotYet) there is nothing a pre-deploy task could
/// prepare or reach, not even the network: it runs after the changes instead, as a
/// post-deploy hook (a migration then runs once the database is up). A hook without run_if_changed
/// runs for any change; with it, only when an action changes one of its paths: `services.S` for any
/// action of service S, `services.S.F` when a replace or update of S changes the field F (or one
/// under it: `services.app.env` covers env.LOG_LEVEL), when S's containers are created or removed
/// (every field of theirs appears or goes), or, for `image` and `build`, when S is built.
std::vector<PlannedHook> plan_hooks(const std::vector<model::TaskSpec>& tasks, const Plan& plan,
                                    Deployed deployed = Deployed::kYes);

/// "pre-deploy hook db-migrate runs: services.app.image changes": how every view says it.
std::string hook_line(const PlannedHook& hook);

/// Whether `action` changes the rendered config's `path` ("services.app.image").
bool action_changes_path(const Action& action, const std::string& path);

}  // namespace run::plan
