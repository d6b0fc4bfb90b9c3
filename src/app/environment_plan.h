#pragma once

#include <optional>
#include <string>

#include "app/engine.h"
#include "app/workspace.h"
#include "config/config_loader.h"
#include "core/result.h"
#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"
#include "plan/planner.h"

namespace run::app {

/// An environment's configuration, loaded and typed: what plan, apply, status and
/// force-unlock work from.
struct LoadedEnvironment {
  config::LoadedConfig config;
  std::string project_directory;  ///< absolute: where run-config.yaml is
  model::DesiredState desired;
};

/// Loads and validates `target`'s configuration (at `revision` when given; secrets
/// required) and builds its desired state, with each build context read and hashed (at the
/// same revision). Errors sorted, each once.
Result<LoadedEnvironment> load_environment(const Workspace& workspace, const Target& target,
                                           const std::optional<std::string>& revision = {});

/// The environment's last successful deployment record, as drift triage needs it.
struct LastRecord {
  std::optional<model::DesiredState> state;  ///< secret values empty; none without records
  std::optional<int> number;
};

/// One planning pass: the desired state, one snapshot of the engine, the plan between them,
/// and the last record it was compared with.
struct EnvironmentPlan {
  model::DesiredState desired;
  model::ObservedState observed;
  plan::Plan plan;
  /// Read only for a plan with changes that converges (drift triage says why each action is
  /// needed); none before that.
  std::optional<LastRecord> last;
};

/// Observes the environment and plans `desired` against it. For a converging plan with
/// changes, the actions are classified as desired changes or live drift against the last
/// successful record, read from the project's history, unless `known_last` has it already
/// (a second plan under the lock does not read it again).
Result<EnvironmentPlan> plan_environment(Engine& engine, const Workspace& workspace,
                                         const std::string& project_directory,
                                         model::DesiredState desired,
                                         const plan::PlanOptions& options,
                                         const std::optional<LastRecord>& known_last = {});

/// Destroy plans against the same project and environment with nothing desired.
model::DesiredState nothing_desired(const model::DesiredState& desired);

}  // namespace run::app
