#pragma once

#include <optional>

#include "app/history_target.h"
#include "core/result.h"
#include "history/record.h"
#include "model/desired_state.h"

namespace run::app {

/// What `run rollback` deploys: a record's desired state with today's secrets.
struct RollbackChoice {
  int number = 0;  ///< the record gone back to
  history::RecordSummary record;
  model::DesiredState state;  ///< ready to deploy: secrets looked up again
};

/// The record to go back to (`to`, else the last successful one before the newest) and its
/// state. Secrets are stored as references: today's values are looked up as for any apply
/// (RUN_SECRET_<NAME>, .run/secrets/<env>.env). The working tree's configuration is not
/// read, so a broken one cannot stop a rollback.
Result<RollbackChoice> choose_rollback(const HistoryTarget& history, std::optional<int> to);

/// Where a rollback deploys: an engine and what runs on it.
struct RollbackDestination {
  std::optional<model::EngineSpec> engine;
  model::DeployTarget target = model::DeployTarget::kContainers;
};

/// Where a rollback deploys: the engine and target the working tree's configuration names
/// for the environment (a rollback goes back in what runs, not in where it runs). When that
/// configuration cannot be read, none (the engine DOCKER_HOST or the docker context chooses,
/// containers), and a warning in `warnings` that says so.
RollbackDestination rollback_destination(const HistoryTarget& history, Diagnostics& warnings);

}  // namespace run::app
