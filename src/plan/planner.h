#pragma once

#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"

namespace run::plan {

/// Why the desired state is what it is: it only changes the words of causes.
enum class PlanPurpose { kConverge, kDestroy };

struct PlanOptions {
  /// Volumes hold data: one no longer in the config is removed only when asked.
  bool prune_volumes = false;
  PlanPurpose purpose = PlanPurpose::kConverge;
};

/// The smallest set of actions that makes `observed` match `desired`. Pure: no I/O, no
/// clock, no logging. An unchanged container is never touched. Per container, in order of
/// precedence: a changed config hash replaces it (listing the fields that force it); the
/// same tag now naming another local image id replaces it; changed cpu, memory or restart
/// policy updates it in place (but a removed cpu or memory limit replaces it: Docker cannot
/// lift a limit in place); a stopped one is started. Replicas above `replicas` and
/// services no longer in the config are removed. Networks are created and removed with the
/// environment; volumes are created, and removed only with `prune_volumes`. A name that a
/// container, network or volume run does not own already uses is an error in `errors`,
/// and such a plan has no actions. A built service whose image tag (the content hash of
/// its build inputs) the daemon lacks is built, and its containers are replaced with cause
/// "image rebuilt"; a built image is never pulled. Actions are ordered: networks and
/// volumes, then builds, then services in depends_on order (names break ties), then removals.
/// A converging plan with changes says which of the pre- and post-deploy tasks run
/// (plan_hooks).
Plan make_plan(const model::DesiredState& desired, const model::ObservedState& observed,
               const PlanOptions& options = {});

/// The services in an order where each comes after what it depends on (names break ties).
/// A cycle cannot reach here: validation refuses it.
std::vector<const model::ServiceSpec*> dependency_order(const model::DesiredState& desired);

}  // namespace run::plan
