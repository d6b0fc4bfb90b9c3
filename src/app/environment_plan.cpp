#include "app/environment_plan.h"

#include "app/build_resolution.h"
#include "app/unfinished_deployment.h"
#include "config/desired_state_builder.h"
#include "history/recorded_state.h"
#include "plan/build_causes.h"
#include "plan/drift.h"

namespace run::app {

namespace {

Result<LastRecord> read_last_record(const Workspace& workspace,
                                    const std::string& project_directory,
                                    const std::string& environment) {
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace.history(project_directory, history::StoreAccess::kRead);
  if (!store) return store.errors();
  Result<std::optional<history::Record>> last = (*store)->last_successful(environment);
  if (!last) return last.errors();
  if (!*last) return LastRecord{};
  const history::Record& record = **last;
  Result<model::DesiredState> state = history::recorded_state(record);
  if (!state) return state.errors();
  return LastRecord{std::move(*state), record.summary.number};
}

/// What the newest record says of a deployment that did not finish.
Result<std::optional<plan::UnfinishedDeployment>> read_unfinished(
    const Workspace& workspace, const std::string& project_directory,
    const std::string& environment) {
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace.history(project_directory, history::StoreAccess::kRead);
  if (!store) return store.errors();
  Result<std::optional<history::Record>> newest = (*store)->latest(environment);
  if (!newest) return newest.errors();
  if (!*newest) return std::optional<plan::UnfinishedDeployment>();
  return unfinished_deployment(**newest, writer_running);
}

}  // namespace

Result<LoadedEnvironment> load_environment(const Workspace& workspace, const Target& target,
                                           const std::optional<std::string>& revision) {
  Result<ConfigTarget> config = workspace.config(target, revision);
  if (!config) return config.errors();
  Result<config::LoadedConfig> loaded = config::load_config(*config->files, config->request);
  if (!loaded) return sorted_unique(loaded.errors());
  model::DesiredState desired = config::build_desired_state(*loaded);
  if (Status built = resolve_builds(workspace, config->directory, desired, revision); !built)
    return sorted_unique(built.errors());
  return LoadedEnvironment{std::move(*loaded), config->directory, std::move(desired)};
}

Result<EnvironmentPlan> plan_environment(Engine& engine, const Workspace& workspace,
                                         const std::string& project_directory,
                                         model::DesiredState desired,
                                         const plan::PlanOptions& options,
                                         const std::optional<LastRecord>& known_last) {
  Result<model::ObservedState> observed = engine.observe(desired);
  if (!observed) return observed.errors();
  EnvironmentPlan planned{std::move(desired), std::move(*observed), {}, known_last};
  planned.plan = engine.plan(planned.desired, planned.observed, options);
  // A plan without actions is not compared with a record, so libgit2 is never started: its
  // start-up parses the system's whole CA bundle (55 M of a no-op plan's 87 M instructions,
  // and 3.5 MiB; callgrind). Destroy wants nothing: every action would read as a desired
  // change, which says nothing.
  if (!planned.plan.has_changes()) return planned;
  Result<std::optional<plan::UnfinishedDeployment>> unfinished =
      read_unfinished(workspace, project_directory, planned.desired.environment);
  if (!unfinished) return unfinished.errors();
  planned.plan.unfinished = std::move(*unfinished);
  if (options.purpose != plan::PlanPurpose::kConverge) return planned;
  if (!planned.last) {
    Result<LastRecord> last =
        read_last_record(workspace, project_directory, planned.desired.environment);
    if (!last) return last.errors();
    planned.last = std::move(*last);
  }
  if (planned.last->state) {
    plan::classify_drift(planned.plan, planned.desired, planned.observed, &*planned.last->state,
                         *planned.last->number);
    plan::explain_builds(planned.plan, planned.desired, &*planned.last->state);
  }
  return planned;
}

model::DesiredState nothing_desired(const model::DesiredState& desired) {
  model::DesiredState empty;
  empty.project = desired.project;
  empty.environment = desired.environment;
  empty.protected_environment = desired.protected_environment;
  return empty;
}

}  // namespace run::app
