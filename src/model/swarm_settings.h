#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace run::model {

/// What an environment deploys its services as: containers on one engine (the default), or
/// services of the engine's swarm (`target: swarm`).
enum class DeployTarget { kContainers, kSwarm };

/// `deploy.mode`: a number of replicas spread by the scheduler, one task on every node, or a
/// one-shot job run to completion by `replicas` tasks.
enum class SwarmMode { kReplicated, kGlobal, kReplicatedJob };

/// `update:` or `rollback:` on a swarm: how the manager rolls a service's tasks. The defaults
/// are Docker's (`docker service create` without flags); `order` of `update:` is the
/// service's update_order.
struct RolloutSettings {
  int parallelism = 1;
  std::int64_t delay_ms = 0;
  std::string failure_action =
      "pause";  ///< pause | continue | rollback (rollback: pause | continue)
  std::int64_t monitor_ms = 5000;
  double max_failure_ratio = 0;
  bool start_first = false;  ///< only for `rollback:`; `update:` uses update_order

  bool operator==(const RolloutSettings&) const = default;
};

/// A service's swarm-only settings: read from `deploy:`, `update:`, `rollback:` and
/// `resources.reservations`, used only on a swarm target (validation refuses them elsewhere).
/// Not part of the container config hash: a container target never looks at them.
struct SwarmSettings {
  SwarmMode mode = SwarmMode::kReplicated;
  std::vector<std::string> constraints;  ///< "node.labels.zone==a", as written
  std::vector<std::string> preferences;  ///< spread descriptors: "node.labels.zone"
  int max_replicas_per_node = 0;         ///< 0: no limit
  std::string endpoint_mode = "vip";     ///< vip | dnsrr
  /// The restart policy's condition: `restart:` mapped (no: none; always, unless-stopped: any;
  /// on-failure), and Docker's "any" when `restart:` is not written.
  std::string restart_condition = "any";
  std::optional<double> reserved_cpus;
  std::optional<std::int64_t> reserved_memory_bytes;
  RolloutSettings update;
  RolloutSettings rollback;

  bool operator==(const SwarmSettings&) const = default;
};

std::string_view to_string(DeployTarget target);
std::string_view to_string(SwarmMode mode);

}  // namespace run::model
