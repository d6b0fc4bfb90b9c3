#pragma once

#include <optional>
#include <string>

namespace run::app {

/// Which project and environment a command works on: where its configuration file is, and
/// the environment named on the command line (--env, else $RUN_ENV). Found by the workspace
/// once -C is applied, and passed down as it is: a use case that works on another
/// environment (promote's TO, a diff's side) makes a copy with that one.
struct Target {
  std::string directory;       ///< absolute: the directory of the configuration file
  std::string config_file;     ///< its name in `directory` (run-config.yaml)
  std::string display_prefix;  ///< what makes a path below `directory` readable from here
  std::optional<std::string> environment;  ///< none: default_environment decides

  /// The same project, for `name`.
  Target with_environment(std::string name) const {
    Target copy = *this;
    copy.environment = std::move(name);
    return copy;
  }
};

}  // namespace run::app
