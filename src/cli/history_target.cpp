#include "cli/history_target.h"

#include <charconv>

#include <algorithm>

#include "config/yaml_loader.h"
#include "core/did_you_mean.h"

namespace run::cli {

namespace {

/// The environments run-config.yaml declares; empty when it cannot be read or parsed (history
/// commands must work with a broken configuration, so they then take --env as it is).
std::vector<std::string> declared_environments(const ConfigTarget& target) {
  Result<std::string> text = target.files->read(target.request.config_file);
  if (!text) return {};
  Result<model::Node> document =
      config::parse_yaml(*text, target.request.display_prefix + target.request.config_file);
  if (!document) return {};
  return config::declared_environments(*document);
}

bool is_declared(const std::string& environment, const std::vector<std::string>& declared) {
  return std::find(declared.begin(), declared.end(), environment) != declared.end();
}

/// An environment named with --env that the configuration does not declare and that has no
/// history is a typo: said as 'run plan' says it, with a did-you-mean, instead of an empty
/// history. One that has records is listed even when it is no longer declared.
Status check_environment_known(const ConfigTarget& target, const std::string& environment,
                               const history::HistoryStore& store) {
  // Taken from default_environment, it was checked when the configuration was loaded.
  if (!target.request.environment) return ok_status();
  std::vector<std::string> declared = declared_environments(target);
  if (declared.empty() || is_declared(environment, declared)) return ok_status();
  // A damaged ref is reported by the command that reads it.
  Result<bool> recorded = store.has_history(environment);
  if (!recorded || *recorded) return ok_status();
  std::string hint = did_you_mean(environment, declared);
  std::string joined;
  for (const std::string& name : declared) joined += (joined.empty() ? "" : ", ") + name;
  if (hint.empty()) hint = "declared: " + joined;
  return make_error(
      SourceLocation{target.request.display_prefix + target.request.config_file, 0, 0},
      "environments", "unknown environment '" + environment + "', and it has no deployment records",
      hint);
}

Result<std::string> environment_of(const ConfigTarget& target) {
  if (target.request.environment) return *target.request.environment;
  config::LoadRequest request = target.request;
  request.missing_secret = config::MissingSecret::kWarning;  // only the name is wanted
  Result<config::LoadedConfig> loaded = config::load_config(*target.files, request);
  if (!loaded) {
    Diagnostics errors = sorted_unique(loaded.errors());
    errors.push_back(make_error(
        SourceLocation{}, "", "the environment could not be taken from the configuration",
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
  if (Status known = check_environment_known(*target, *environment, *store); !known)
    return known.errors();
  return HistoryTarget{std::move(*target), std::move(*environment), std::move(*store)};
}

std::string actor_name(const std::string& author) {
  std::size_t open = author.find(" <");
  return open == std::string::npos ? author : author.substr(0, open);
}

CLI::Validator record_number_check() {
  return CLI::Validator(
      [](std::string& text) {
        int value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size() && value > 0)
          return std::string();
        return "'" + text + "' is not a record number (1 or more; 'run history' lists them)";
      },
      "N");
}

}  // namespace run::cli
