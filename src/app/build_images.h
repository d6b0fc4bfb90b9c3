#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "app/engine.h"
#include "app/environment_plan.h"
#include "app/workspace.h"
#include "apply/progress.h"
#include "core/result.h"

namespace run::app {

/// `run build`: which services, and how.
struct BuildRequest {
  std::vector<std::string> services;  ///< none: every service with a build section
  bool no_cache = false;              ///< build even what is up to date, with no cached layer
  std::size_t parallelism = 4;
};

/// What `run build` did.
struct BuildOutcome {
  plan::Plan plan;                               ///< the builds it carried out (or would have)
  std::vector<std::string> up_to_date;           ///< images already on the engine, not built again
  std::optional<apply::ExecutionReport> report;  ///< none when there was nothing to build
};

/// Builds the images of `loaded`'s built services that the engine lacks (all of them with
/// `no_cache`), without touching any container and without the environment's lock: an
/// image tagged by its content hash changes nothing that runs. Errors: a service that is not
/// in the configuration, or has no build section.
Result<BuildOutcome> build_images(Engine& engine, const Workspace& workspace,
                                  const LoadedEnvironment& loaded, const BuildRequest& request,
                                  apply::ProgressSink& progress, const std::atomic<bool>& stop);

}  // namespace run::app
