#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/desired_state.h"

namespace run::model {

/// One run of a container's health check, as Docker keeps it in `State.Health.Log`.
struct HealthCheckOutput {
  int exit_code = 0;
  std::string output;  ///< trimmed

  bool operator==(const HealthCheckOutput&) const = default;
};

/// A container as one snapshot of the daemon saw it.
struct ObservedContainer {
  std::string id;
  std::string name;      ///< without Docker's leading '/'
  std::string image;     ///< the reference it was created from
  std::string image_id;  ///< the image id it runs
  std::string state;     ///< created | running | paused | restarting | removing | exited | dead
  std::string health;    ///< healthy | unhealthy | starting, or empty without a health check
  std::map<std::string, std::string> labels;
  /// From inspect: what `docker update` changes. Empty optionals when not limited.
  std::optional<double> cpus;
  std::optional<std::int64_t> memory_bytes;
  std::string restart = "no";
  /// From inspect, only for an unhealthy container: why its health check fails.
  std::optional<HealthCheckOutput> last_health_check;

  bool running() const { return state == "running"; }
  std::string label(const std::string& key) const;
  /// The replica number of its run.replica label: nullopt unless that is a whole number of
  /// 1 or more, so a label written by hand never passes for a replica.
  std::optional<int> replica() const;
};

struct ObservedNetwork {
  std::string id;
  std::string name;
  std::map<std::string, std::string> labels;
};

struct ObservedVolume {
  std::string name;
  std::map<std::string, std::string> labels;
};

/// A swarm service as the manager holds it, read back into the config's terms
/// (docker/swarm_service_reader.h) so that the planner compares like with like.
struct ObservedService {
  std::string id;
  std::string name;
  std::uint64_t version = 0;       ///< Version.Index: an update must name it
  std::uint64_t force_update = 0;  ///< TaskTemplate.ForceUpdate: an update sends it back as is
  std::map<std::string, std::string> labels;
  /// The service's spec in the config's terms: networks by their config names, the image as
  /// its run.image label says when the manager only pinned a digest to it. Env values are as
  /// the manager holds them, secrets included: the planner never shows one.
  ServiceSpec spec;
  int running_tasks = 0;        ///< tasks that should run and do
  std::string update_state;     ///< UpdateStatus.State: updating, paused, completed, ...
  std::string update_message;   ///< UpdateStatus.Message
  std::string last_task_error;  ///< the newest failed task's error, for status
};

/// One snapshot of what the daemon holds for a project and environment. The planner reads
/// only this; it makes no calls of its own.
struct ObservedState {
  std::vector<ObservedContainer> containers;  ///< carrying the project's and environment's labels
  /// Containers whose names the environment would use but that run did not create for it:
  /// never touched, and a plan that needs one of their names is an error.
  std::vector<ObservedContainer> foreign_containers;
  std::vector<ObservedNetwork> networks;      ///< carrying the project's and environment's labels
  std::vector<ObservedVolume> volumes;        ///< likewise
  std::vector<std::string> foreign_networks;  ///< names the environment would use, not run's
  std::vector<std::string> foreign_volumes;   ///< likewise
  std::vector<ObservedService> services;      ///< swarm services with the environment's labels
  /// Swarm services with a name the environment would use that run did not create for it.
  std::vector<std::string> foreign_services;
  /// The local image id of every image the desired state names; absent when not present.
  std::map<std::string, std::string> image_ids;
};

}  // namespace run::model
