#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"

namespace run::plan {

/// A replica whose health check fails, and what the check said the last time it ran.
struct UnhealthyReplica {
  int replica = 0;
  model::HealthCheckOutput last_check;  ///< secrets redacted

  bool operator==(const UnhealthyReplica&) const = default;
};

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
  /// For a built service: the commit its running image was built from (the source of the
  /// deployment record its containers carry), "(uncommitted)" for a dirty working tree;
  /// empty when unknown or not built.
  std::string source;
  std::vector<std::string> pending;  ///< "1 to build", "1 to replace": the plan's work
  std::vector<UnhealthyReplica> unhealthy_replicas;  ///< by replica number
  bool in_config = true;

  bool in_sync() const { return pending.empty(); }
};

struct EnvironmentStatus {
  std::string project;
  std::string environment;
  std::vector<ServiceStatus> services;             ///< in the config's order, then those not in it
  std::optional<UnfinishedDeployment> unfinished;  ///< the plan's: a deployment cut short
};

/// Per service: replicas wanted and running, health counts, image, and what the plan would
/// still do to it (its drift from the config). Pure.
/// `sources`: a deployment record's number (as the run.deployment label writes it) -> the
/// source it was deployed from, for the services built from source.
EnvironmentStatus environment_status(const model::DesiredState& desired,
                                     const model::ObservedState& observed, const Plan& plan,
                                     const std::map<std::string, std::string>& sources = {});

}  // namespace run::plan
