#include "cli/history_target.h"

namespace run::cli {

namespace {

Result<std::string> environment_of(const ConfigTarget& target) {
  if (target.request.environment) return *target.request.environment;
  config::LoadRequest request = target.request;
  request.missing_secret = config::MissingSecret::kWarning;  // only the name is wanted
  Result<config::LoadedConfig> loaded = config::load_config(*target.files, request);
  if (!loaded) {
    Diagnostics errors = sorted_unique(loaded.errors());
    errors.push_back(make_error(SourceLocation{}, "", "the environment could not be taken from the configuration",
                                "name it with --env (history commands need no valid configuration then)"));
    return errors;
  }
  return loaded->environment;
}

}  // namespace

Result<HistoryTarget> open_history(const GlobalOptions& global) {
  Result<ConfigTarget> target = resolve_config_target(global);
  if (!target) return target.errors();
  Result<std::string> environment = environment_of(*target);
  if (!environment) return environment.errors();
  Result<history::HistoryStore> store = history::HistoryStore::open(target->directory);
  if (!store) return store.errors();
  return HistoryTarget{std::move(*target), std::move(*environment), std::move(*store)};
}

std::string actor_name(const std::string& author) {
  std::size_t open = author.find(" <");
  return open == std::string::npos ? author : author.substr(0, open);
}

}  // namespace run::cli
