#include "app/rollback.h"

#include "config/config_loader.h"
#include "config/desired_state_builder.h"
#include "history/recorded_state.h"
#include "history/rollback_target.h"

namespace run::app {

Result<RollbackChoice> choose_rollback(const HistoryTarget& history, std::optional<int> to) {
  const std::string& environment = history.environment;
  Result<std::vector<history::RecordSummary>> records = history.store->list(environment);
  if (!records) return records.errors();
  Result<int> number = history::rollback_target(*records, environment, to);
  if (!number) return number.errors();
  Result<history::Record> record = history.store->read(environment, *number);
  if (!record) return record.errors();
  if (!history::is_deployment(record->summary.kind))
    return usage_error(history::record_name(record->summary) +
                           " is a task run, not a deployment: there is nothing to roll back to",
                       "'run history --env " + environment + "' lists the deployments");
  Result<config::InterpolationScope> scope =
      config::interpolation_scope(*history.config.files, history.config.request, environment);
  if (!scope) return scope.errors();
  Result<model::DesiredState> state = history::restored_state(*record, *scope);
  if (!state) return state.errors();
  return RollbackChoice{*number, record->summary, std::move(*state)};
}

RollbackDestination rollback_destination(const HistoryTarget& history, Diagnostics& warnings) {
  config::LoadRequest request = history.config.request;
  request.environment = history.environment;
  request.missing_secret = config::MissingSecret::kWarning;  // an engine names no secret
  Result<config::LoadedConfig> loaded = config::load_config(*history.config.files, request);
  if (loaded) {
    model::DesiredState desired = config::build_desired_state(*loaded);
    return {desired.engine, desired.target};
  }
  Diagnostic warning = usage_error(
      "the configuration cannot be read (" + loaded.errors().front().message +
          "), so this rollback goes to the engine DOCKER_HOST or the docker context chooses",
      "fix run-config.yaml first if environments." + history.environment + ".engine names another");
  warning.severity = Severity::kWarning;
  warnings.push_back(std::move(warning));
  return {};
}

}  // namespace run::app
