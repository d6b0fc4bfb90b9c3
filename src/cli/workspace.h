#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/config_target.h"
#include "app/environment_plan.h"
#include "app/local_workspace.h"
#include "cli/options.h"
#include "core/result.h"

namespace run::cli {

/// The workspace the global flags name: -C applied (once per process: a second call does not
/// move again), -f and --env as given ($RUN_CONFIG and $RUN_ENV otherwise).
Result<std::unique_ptr<app::LocalWorkspace>> open_workspace(const GlobalOptions& global);

/// The configuration the global flags name, ready to load: in the working tree, or at
/// `revision`; for `environment` instead of --env when one is given.
Result<app::ConfigTarget> open_config(const GlobalOptions& global,
                                      const std::optional<std::string>& revision = {},
                                      const std::optional<std::string>& environment = {});

/// An environment ready to plan or change: the workspace, its configuration loaded (secrets
/// required) and the engine connected.
struct OpenEnvironment {
  std::unique_ptr<app::LocalWorkspace> workspace;
  app::LoadedEnvironment loaded;
  std::unique_ptr<app::Engine> engine;
};

/// The environment the global flags name, as committed at `revision` when one is given.
Result<OpenEnvironment> open_environment(const GlobalOptions& global,
                                         const std::optional<std::string>& revision = {});

}  // namespace run::cli
