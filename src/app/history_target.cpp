#include "app/history_target.h"

#include <algorithm>

#include "config/yaml_loader.h"

namespace run::app {

namespace {

/// The environments run-config.yaml declares; empty when it cannot be read or parsed (history
/// commands must work with a broken configuration, so they then take --env as it is).
std::vector<std::string> declared_environments(const ConfigTarget& config) {
  Result<std::string> text = config.files->read(config.request.config_file);
  if (!text) return {};
  Result<model::Node> document =
      config::parse_yaml(*text, config.request.display_prefix + config.request.config_file);
  if (!document) return {};
  return config::declared_environments(*document);
}

bool is_declared(const std::string& environment, const std::vector<std::string>& declared) {
  return std::find(declared.begin(), declared.end(), environment) != declared.end();
}

Status check_environment_known(const ConfigTarget& config, const std::string& environment,
                               const history::RecordStore& store) {
  // Taken from default_environment, it was checked when the configuration was loaded.
  if (!config.request.environment) return ok_status();
  std::vector<std::string> declared = declared_environments(config);
  if (declared.empty() || is_declared(environment, declared)) return ok_status();
  // A damaged ref is reported by the command that reads it.
  Result<bool> recorded = store.has_history(environment);
  if (!recorded || *recorded) return ok_status();
  return config::unknown_environment(environment, declared,
                                     config.request.display_prefix + config.request.config_file,
                                     ", and it has no deployment records");
}

Result<std::string> environment_of(const ConfigTarget& config) {
  if (config.request.environment) return *config.request.environment;
  config::LoadRequest request = config.request;
  request.missing_secret = config::MissingSecret::kWarning;  // only the name is wanted
  Result<config::LoadedConfig> loaded = config::load_config(*config.files, request);
  if (!loaded) {
    Diagnostics errors = sorted_unique(loaded.errors());
    errors.push_back(
        usage_error("the environment could not be taken from the configuration",
                    "name it with --env (history commands need no valid configuration then)"));
    return errors;
  }
  return loaded->environment;
}

}  // namespace

Result<HistoryTarget> open_history(const Workspace& workspace) {
  Result<Target> target = workspace.target();
  if (!target) return target.errors();
  Result<ConfigTarget> config = workspace.config(*target, std::nullopt);
  if (!config) return config.errors();
  Result<std::string> environment = environment_of(*config);
  if (!environment) return environment.errors();
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace.history(config->directory, history::StoreAccess::kRead);
  if (!store) return store.errors();
  if (Status known = check_environment_known(*config, *environment, **store); !known)
    return known.errors();
  Target with_environment = target->with_environment(*environment);
  return HistoryTarget{std::move(with_environment), std::move(*config), std::move(*environment),
                       std::move(*store)};
}

}  // namespace run::app
