#pragma once

#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"
#include "plan/planner.h"

namespace run::plan {

/// The smallest plan that makes a swarm's services what `desired` says. Pure. Each service
/// is compared field by field (model::swarm_fields) with the manager's own spec read back
/// into the config's terms, so an unchanged service is never updated, and a change made
/// with `docker service update` shows as the fields it moved. Actions: create the
/// environment's overlay networks; create a service, or update it with the fields that
/// changed (naming its Version.Index; a rollout the manager paused is resumed by an update
/// even when no field differs); remove services no longer in the config; then remove
/// networks. Volumes live on each node and are made by the tasks that mount them: never
/// planned. A service or network name of another owner is an error, and then there are no
/// actions. Swarm tasks run no hooks.
Plan make_swarm_plan(const model::DesiredState& desired, const model::ObservedState& observed,
                     const PlanOptions& options = {});

}  // namespace run::plan
