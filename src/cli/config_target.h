#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/options.h"
#include "config/config_loader.h"
#include "config/file_source.h"
#include "core/result.h"
#include "history/git_tree_source.h"

namespace run::cli {

/// Where the configuration is and how to load it, resolved from the global flags and the
/// process environment: the one place the CLI reads $RUN_CONFIG, $RUN_ENV and the
/// variables interpolation may use.
struct ConfigTarget {
  std::unique_ptr<config::FileSource> files;
  std::string directory;  ///< absolute: the directory of run-config.yaml
  config::LoadRequest request;
  /// Set when the configuration is read from a git revision: the commit it names.
  std::optional<history::ResolvedRevision> revision;
};

/// Applies -C, then finds the file: -f, else $RUN_CONFIG, else run-config.yaml in the
/// current directory or a parent up to the git root. The environment is --env, else
/// $RUN_ENV, else left for default_environment.
///
/// With a `revision`, the file is found the same way (in the working tree), but
/// run-config.yaml and the overlays are read from the git tree at that revision, without a
/// checkout, and named in messages as `REV:path` (`HEAD~1:environments/dev.yaml:3:5`, the
/// path from the top of the repository, as `git show` takes it). `.env` and
/// `.run/secrets/` are never committed: they still come from the working tree. Errors: no
/// git repository, a revision that does not exist, a project directory not in that commit.
Result<ConfigTarget> resolve_config_target(
    const GlobalOptions& global, const std::optional<std::string>& revision = std::nullopt);

}  // namespace run::cli
