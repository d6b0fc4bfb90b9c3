#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/options.h"
#include "config/config_loader.h"
#include "core/result.h"
#include "docker/docker_api.h"
#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"
#include "plan/planner.h"

namespace run::cli {

/// An environment's last successful deployment record, as drift triage needs it.
struct LastRecord {
  std::optional<model::DesiredState> state;  ///< secret values empty
  std::optional<int> number;
};

/// Everything one planning pass produced: the pipeline of DESIGN.md from files to Plan,
/// shared by plan, apply, status and destroy.
struct PlanSession {
  config::LoadedConfig config;
  std::string project_directory;  ///< absolute: where run-config.yaml is
  model::DesiredState desired;
  std::unique_ptr<docker::DockerApi> docker;
  model::ObservedState observed;
  plan::Plan plan;
  /// The desired state of the environment's last successful deployment record (secret values
  /// empty), for drift triage; none without history, or before a plan with changes.
  std::optional<model::DesiredState> recorded;
  std::optional<int> recorded_number;
  bool record_read = false;  ///< read only for a plan with changes (observe_and_plan)
};

/// Loads and validates the configuration (secrets required), builds the desired state and
/// connects to Docker; nothing is observed yet (apply takes its lock first).
/// With a `revision`, the configuration is read as committed there (resolve_config_target).
Result<PlanSession> open_session(const GlobalOptions& global,
                                 const std::optional<std::string>& revision = std::nullopt);

/// A session for a recorded desired state (rollback): the configuration is located, for the
/// project directory, but not read, so a broken working tree cannot stop a rollback.
Result<PlanSession> open_session_for_state(const GlobalOptions& global,
                                           model::DesiredState desired);

/// Observes the environment and plans against `session.desired`.
Status observe_and_plan(PlanSession& session, const plan::PlanOptions& options);

/// open_session, then observe_and_plan.
Result<PlanSession> make_plan_session(const GlobalOptions& global, const plan::PlanOptions& options,
                                      const std::optional<std::string>& revision = std::nullopt);

/// The saved form of `run plan --out`: the plan as JSON with fingerprints of the desired
/// and the observed state, and the lines they were taken over (to say what moved).
std::string saved_plan_json(const PlanSession& session);

/// Whether a saved plan still holds: an error naming what moved in the configuration or in
/// the environment since it was saved, when anything did.
Status check_saved_plan(const std::string& saved_json, const std::string& file,
                        const PlanSession& session);

}  // namespace run::cli
