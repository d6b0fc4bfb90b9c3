#include "config/config_loader.h"

#include <algorithm>

#include "config/extensions.h"
#include "config/interpolate.h"
#include "config/overlay.h"
#include "config/schema_validator.h"
#include "config/semantic_checks.h"
#include "config/yaml_loader.h"
#include "core/did_you_mean.h"

namespace run::config {

namespace {

using model::Node;

constexpr std::string_view kSecretEnvironmentPrefix = "RUN_SECRET_";

std::string overlay_path(const std::string& environment) {
  return std::string(kOverlayDirectory) + "/" + environment + ".yaml";
}

std::string secrets_path(const std::string& environment) {
  return ".run/secrets/" + environment + ".env";
}

std::string local_prefix(const LoadRequest& request) {
  return request.local_display_prefix.value_or(request.display_prefix);
}

Result<Layer> read_layer(const FileSource& files, const LoadRequest& request,
                         const std::string& path) {
  std::string shown = request.display_prefix + path;
  Result<std::string> text = files.read(path);
  if (!text) {
    Diagnostics errors = std::move(text).take_errors();
    for (Diagnostic& error : errors) error.location.file = shown;
    return errors;
  }
  Result<Node> document = parse_yaml(*text, shown);
  if (!document) return std::move(document).take_errors();
  return Layer{shown, std::move(*document)};
}

/// A file that may be absent: absent reads as empty.
Result<std::string> read_optional(const FileSource& files, const std::string& path) {
  if (!files.exists(path)) return std::string();
  return files.read(path);
}

/// `.env`, its references looked up in the process environment first, as compose does.
Result<VariableMap> read_dotenv(const FileSource& files, const LoadRequest& request) {
  const std::string path = ".env";
  Result<std::string> text = read_optional(files, path);
  if (!text) return std::move(text).take_errors();
  return parse_dotenv(*text, local_prefix(request) + path, request.process_environment);
}

/// A secrets file: every '$' kept, since a password may hold one.
Result<VariableMap> read_secrets_file(const FileSource& files, const LoadRequest& request,
                                      const std::string& path) {
  Result<std::string> text = read_optional(files, path);
  if (!text) return std::move(text).take_errors();
  return parse_dotenv_literal(*text, local_prefix(request) + path);
}

Result<std::string> choose_environment(const Layer& base, const LoadRequest& request,
                                       const std::vector<std::string>& declared) {
  std::optional<std::string> chosen = request.environment;
  const Node* fallback = base.document.find("default_environment");
  if (!chosen && fallback && fallback->kind == model::NodeKind::kString) chosen = fallback->text;
  if (!chosen && declared.empty()) chosen = "default";
  if (!chosen && declared.size() == 1) chosen = declared.front();  // the only one there is
  if (!chosen) {
    return make_error(SourceLocation{base.file, 0, 0}, "", "no environment chosen",
                      "pass --env NAME, set RUN_ENV, or set default_environment in " + base.file);
  }
  // With none declared the schema reports the missing 'environments'; load on to say so.
  if (declared.empty() || std::find(declared.begin(), declared.end(), *chosen) != declared.end())
    return *chosen;
  return unknown_environment(*chosen, declared, base.file);
}

/// An overlay file for an environment the base does not declare is a typo waiting to bite.
Diagnostics check_overlay_files(const FileSource& files, const LoadRequest& request,
                                const std::vector<std::string>& declared) {
  Diagnostics errors;
  for (const std::string& name : files.list(std::string(kOverlayDirectory))) {
    if (!name.ends_with(".yaml") && !name.ends_with(".yml")) continue;
    std::string environment = name.substr(0, name.rfind('.'));
    std::string shown = request.display_prefix + std::string(kOverlayDirectory) + "/" + name;
    if (name.ends_with(".yml")) {
      errors.push_back(make_error(SourceLocation{shown, 0, 0}, "",
                                  "overlays are named <env>.yaml, not .yml",
                                  "rename it to " + environment + ".yaml"));
      continue;
    }
    if (std::find(declared.begin(), declared.end(), environment) != declared.end()) continue;
    std::string hint = did_you_mean(environment, declared);
    if (hint.empty())
      hint = "declare '" + environment + "' under 'environments:' or remove the file";
    errors.push_back(
        make_error(SourceLocation{shown, 0, 0}, "",
                   "overlay for environment '" + environment + "', which is not declared", hint));
  }
  return errors;
}

Result<InterpolationScope> make_scope(const FileSource& files, const LoadRequest& request,
                                      const std::string& environment) {
  Result<VariableMap> dotenv = read_dotenv(files, request);
  if (!dotenv) return std::move(dotenv).take_errors();
  Result<VariableMap> secrets_file = read_secrets_file(files, request, secrets_path(environment));
  if (!secrets_file) return std::move(secrets_file).take_errors();
  InterpolationScope scope;
  scope.variables = std::move(*dotenv);
  scope.secrets = std::move(*secrets_file);
  scope.secrets_file = local_prefix(request) + secrets_path(environment);
  scope.missing_secret = request.missing_secret;
  for (const auto& [name, value] : request.process_environment) {
    if (name.starts_with(kSecretEnvironmentPrefix))
      scope.secrets[name.substr(kSecretEnvironmentPrefix.size())] = value;
    scope.variables[name] = value;  // the process environment wins over .env, as in compose
  }
  return scope;
}

Result<LoadedConfig> load_layers(const FileSource& files, const LoadRequest& request) {
  Result<Layer> base = read_layer(files, request, request.config_file);
  if (!base) return std::move(base).take_errors();
  LoadedConfig config;
  config.environments = declared_environments(base->document);
  Result<std::string> environment = choose_environment(*base, request, config.environments);
  if (!environment) return std::move(environment).take_errors();
  config.environment = *environment;
  config.layers.push_back(std::move(*base));
  if (Diagnostics errors = check_overlay_files(files, request, config.environments);
      !errors.empty())
    return errors;
  std::string overlay = overlay_path(config.environment);
  if (!files.exists(overlay)) return config;
  Result<Layer> layer = read_layer(files, request, overlay);
  if (!layer) return std::move(layer).take_errors();
  config.layers.push_back(std::move(*layer));
  return config;
}

}  // namespace

std::vector<std::string> declared_environments(const Node& base) {
  std::vector<std::string> names;
  const Node* environments = base.find("environments");
  if (environments == nullptr) return names;
  for (const model::MapEntry& entry : environments->entries)
    if (!is_extension_key(entry.key)) names.push_back(entry.key);
  return names;
}

Diagnostic unknown_environment(const std::string& environment,
                               const std::vector<std::string>& declared,
                               const std::string& config_file, const std::string& detail) {
  return make_error(SourceLocation{config_file, 0, 0}, "environments",
                    "unknown environment '" + environment + "'" + detail,
                    did_you_mean_or_declared(environment, declared));
}

Result<LoadedConfig> load_config(const FileSource& files, const LoadRequest& request) {
  Result<LoadedConfig> loaded = load_layers(files, request);
  if (!loaded) return loaded;
  LoadedConfig config = std::move(*loaded);
  Node merged = config.layers.front().document;
  for (std::size_t i = 1; i < config.layers.size(); ++i)
    merged = merge_overlay(std::move(merged), config.layers[i].document);
  strip_extensions(merged);
  Result<InterpolationScope> scope = make_scope(files, request, config.environment);
  if (!scope) return std::move(scope).take_errors();
  Diagnostics interpolation = interpolate_tree(merged, *scope);
  if (has_errors(interpolation)) return interpolation;
  if (Diagnostics errors = validate_schema(merged); !errors.empty()) return errors;
  if (Diagnostics errors = check_semantics(merged, config.environment); !errors.empty())
    return errors;
  config.merged = std::move(merged);
  config.warnings = std::move(interpolation);
  return config;
}

Diagnostics validate_config(const FileSource& files, const LoadRequest& request) {
  if (request.environment) {
    Result<LoadedConfig> loaded = load_config(files, request);
    return sorted_unique(loaded ? loaded->warnings : loaded.errors());
  }
  Result<Layer> base = read_layer(files, request, request.config_file);
  if (!base) return std::move(base).take_errors();
  std::vector<std::string> environments = declared_environments(base->document);
  if (environments.empty()) environments.push_back("default");  // so the base's errors are reported
  Diagnostics all;
  for (const std::string& environment : environments) {
    LoadRequest one = request;
    one.environment = environment;
    Result<LoadedConfig> loaded = load_config(files, one);
    const Diagnostics& found = loaded ? loaded->warnings : loaded.errors();
    all.insert(all.end(), found.begin(), found.end());
  }
  return sorted_unique(std::move(all));
}

Result<InterpolationScope> interpolation_scope(const FileSource& files, const LoadRequest& request,
                                               const std::string& environment) {
  return make_scope(files, request, environment);
}

}  // namespace run::config
