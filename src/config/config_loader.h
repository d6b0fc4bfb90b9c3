#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/dotenv.h"
#include "config/file_source.h"
#include "config/interpolate.h"
#include "core/result.h"
#include "model/document.h"

namespace run::config {

inline constexpr std::string_view kConfigFileName = "run-config.yaml";
inline constexpr std::string_view kOverlayDirectory = "environments";

/// What to load. Paths are relative to the FileSource's root (the directory of
/// run-config.yaml); `display_prefix` is put before them in messages so that a user who
/// gave `-f examples/minimal/run-config.yaml` sees paths they can open.
struct LoadRequest {
  std::string config_file = std::string(kConfigFileName);
  std::string display_prefix;
  /// The prefix for the files kept out of git (`.env`, `.run/secrets/`) when they are read from
  /// elsewhere than the configuration (with --revision, from the working tree); else
  /// display_prefix.
  std::optional<std::string> local_display_prefix;
  std::optional<std::string> environment;  ///< else default_environment, else the only one declared
  VariableMap process_environment;         ///< captured by the CLI; interpolation reads only this
  MissingSecret missing_secret = MissingSecret::kError;  ///< kWarning where no value is shown
};

/// One file of the configuration as it was written (before interpolation).
struct Layer {
  std::string file;  ///< as shown in messages
  model::Node document;
};

/// A configuration loaded for one environment: every layer, and the merged, interpolated
/// and validated document.
struct LoadedConfig {
  std::string environment;
  std::vector<std::string> environments;  ///< declared, in file order
  std::vector<Layer> layers;              ///< run-config.yaml, then the overlay if there is one
  model::Node merged;
  Diagnostics warnings;  ///< e.g. a secret with no value, under MissingSecret::kWarning
};

/// Loads run-config.yaml and the overlay of the chosen environment, merges them, interpolates
/// variables (`.env`, the process environment) and secrets (`RUN_SECRET_<NAME>`,
/// `.run/secrets/<env>.env`), validates against the schema, then makes the checks a schema
/// cannot. Stops at the first phase with errors and returns all of that phase's errors.
Result<LoadedConfig> load_config(const FileSource& files, const LoadRequest& request);

/// Validates every declared environment (or the one the request names) and returns all
/// errors and warnings, each once, sorted by file and line.
Diagnostics validate_config(const FileSource& files, const LoadRequest& request);

/// The environment names the base file declares, in file order; empty when it cannot be read.
std::vector<std::string> declared_environments(const model::Node& base);

/// "unknown environment 'X'" at `config_file`'s environments, with a did-you-mean or the
/// declared names: what loading, history commands and promote say of an environment the
/// configuration does not declare. `detail` continues the message (", and it has no ...").
Diagnostic unknown_environment(const std::string& environment,
                               const std::vector<std::string>& declared,
                               const std::string& config_file, const std::string& detail = {});

/// What interpolation of `environment` may refer to (.env, the process environment, the
/// environment's secrets): also what a rollback resolves a recorded state's secrets with.
Result<InterpolationScope> interpolation_scope(const FileSource& files, const LoadRequest& request,
                                               const std::string& environment);

}  // namespace run::config
