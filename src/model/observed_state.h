#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

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
  /// The local image id of every image the desired state names; absent when not present.
  std::map<std::string, std::string> image_ids;
};

}  // namespace run::model
