#pragma once

#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"

namespace run::plan {

/// One service as `run status` shows it.
struct ServiceStatus {
  std::string name;
  int desired_replicas = 0;  ///< 0 for a service no longer in the config
  int running_replicas = 0;
  int healthy = 0;
  int unhealthy = 0;
  int starting = 0;
  std::string image;          ///< the image the config names (or, not in config, the container's)
  std::string running_image;  ///< the image a running replica was made from, when another
  std::vector<std::string> pending;  ///< "1 to replace", "1 to start": the plan's work
  bool in_config = true;

  bool in_sync() const { return pending.empty(); }
};

struct EnvironmentStatus {
  std::string project;
  std::string environment;
  std::vector<ServiceStatus> services;  ///< in the config's order, then those not in it
};

/// Per service: replicas wanted and running, health counts, image, and what the plan would
/// still do to it (its drift from the config). Pure.
EnvironmentStatus environment_status(const model::DesiredState& desired,
                                     const model::ObservedState& observed, const Plan& plan);

}  // namespace run::plan
