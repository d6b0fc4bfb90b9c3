#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "model/desired_state.h"
#include "plan/action.h"
#include "plan/hooks.h"

namespace run::plan {

/// How many actions of each kind a plan holds.
struct Summary {
  int create = 0;
  int update = 0;
  int replace = 0;
  int start = 0;
  int remove = 0;
  int build = 0;

  int total() const { return create + update + replace + start + remove + build; }
};

/// The actions that make the live state match the desired state, in the order they may run
/// (dependencies first), or the errors that forbid any action (a name run does not own).
/// The environment's newest record when the deployment it records did not finish: the work
/// this plan completes.
struct UnfinishedDeployment {
  int record = 0;
  std::string kind;           ///< apply, rollback, destroy, reconcile
  std::size_t completed = 0;  ///< actions that came to an end: done, failed or skipped
  std::size_t total = 0;
  /// Its process still runs (it may have lost its lock to force-unlock): in progress, not
  /// interrupted.
  bool running = false;
};

struct Plan {
  std::string project;
  std::string environment;
  std::vector<Action> actions;
  Diagnostics errors;
  /// Volumes run made that the config no longer names, kept because they hold data (they
  /// are removed only with PlanOptions::prune_volumes). Said, so that nothing is silent.
  std::vector<std::string> kept_volumes;
  /// Images a create or replace needs that the daemon does not have and no build of the plan
  /// makes: pulled first.
  std::vector<std::string> images_to_pull;
  bool destroy = false;  ///< planned to remove the environment (run destroy)
  /// What the plan's services run as: containers, or a swarm's services (make_swarm_plan).
  model::DeployTarget target = model::DeployTarget::kContainers;
  /// The deployment record each action's `drift` was classified against (classify_drift);
  /// absent without history, and then no action has a drift cause.
  std::optional<int> drift_record;
  /// The pre- and post-deploy tasks of a plan with changes, whether each runs and why.
  std::vector<PlannedHook> hooks;
  /// Read with the records of a plan with changes (app::plan_environment); none otherwise.
  std::optional<UnfinishedDeployment> unfinished;

  Summary summary() const;
  bool has_changes() const { return !actions.empty(); }
};

/// The canonical text form, one line per action and one indented line per field change:
///   replace container tsp-dev-app-1 (app #1): image changed [forces: image]
///     image: tsp/app:1.4.2 -> tsp/app:1.4.3
/// then one line per hook ("pre-deploy hook db-migrate runs: services.app.image changes").
/// Deterministic; the golden tests compare against it.
std::string to_text(const Plan& plan);

}  // namespace run::plan
