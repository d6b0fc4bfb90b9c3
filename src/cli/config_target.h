#pragma once

#include <memory>

#include "cli/options.h"
#include "config/config_loader.h"
#include "config/file_source.h"
#include "core/result.h"

namespace run::cli {

/// Where the configuration is and how to load it, resolved from the global flags and the
/// process environment: the one place the CLI reads $RUN_CONFIG, $RUN_ENV and the
/// variables interpolation may use.
struct ConfigTarget {
  std::unique_ptr<config::FileSource> files;
  std::string directory;  ///< absolute: the directory of run-config.yaml
  config::LoadRequest request;
};

/// Applies -C, then finds the file: -f, else $RUN_CONFIG, else run-config.yaml in the
/// current directory or a parent up to the git root. The environment is --env, else
/// $RUN_ENV, else left for default_environment.
Result<ConfigTarget> resolve_config_target(const GlobalOptions& global);

}  // namespace run::cli
