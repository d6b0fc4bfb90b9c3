#pragma once

#include <memory>

#include "cli/options.h"
#include "config/config_loader.h"
#include "core/result.h"
#include "docker/docker_api.h"
#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"
#include "plan/planner.h"

namespace run::cli {

/// Everything one planning pass produced: the pipeline of DESIGN.md from files to Plan,
/// shared by plan and (later) apply.
struct PlanSession {
  config::LoadedConfig config;
  model::DesiredState desired;
  std::unique_ptr<docker::DockerApi> docker;
  model::ObservedState observed;
  plan::Plan plan;
};

/// Loads and validates the configuration (secrets required), builds the desired state,
/// connects to Docker, observes, and plans.
Result<PlanSession> make_plan_session(const GlobalOptions& global, const plan::PlanOptions& options);

/// The saved form of `run plan --out`: the plan as JSON with fingerprints of the desired
/// and the observed state, and the lines they were taken over (to say what moved).
std::string saved_plan_json(const PlanSession& session);

}  // namespace run::cli
