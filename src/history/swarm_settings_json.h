#pragma once

#include <string>

#include "history/json_reader.h"
#include "history/json_writer.h"
#include "model/swarm_settings.h"

namespace run::history {

/// Writes member "swarm" of a service in state.json, but only when `swarm` differs from a
/// default-constructed SwarmSettings: a container target's services (whose settings the
/// builder leaves default) and records made before swarm targets have none, so their files
/// stay byte for byte what they were. Every member of the object is always written:
///
///     "swarm": {"mode": "replicated" | "global" | "replicated-job", "constraints": [...],
///               "preferences": [...], "max_replicas_per_node", "endpoint_mode": "vip" | "dnsrr",
///               "restart_condition": "none" | "on-failure" | "any",
///               "reservations": {"cpus": number | null, "memory_bytes": integer | null},
///               "update": ROLLOUT, "rollback": ROLLOUT}
///     ROLLOUT: {"parallelism", "delay_ms", "failure_action", "monitor_ms",
///               "max_failure_ratio", "start_first"}
void write_swarm_settings(JsonWriter& json, const model::SwarmSettings& swarm);

/// Reads member "swarm" of `service` (a service of state.json) as write_swarm_settings wrote
/// it; the default settings when it is absent. As strict as the rest of the file: every
/// member present, no other, each value of its type and among the values the model allows
/// (failure_action rollback for `update` only, max_failure_ratio from 0 to 1).
model::SwarmSettings read_swarm_settings(JsonReader& reader, JsonObject& service);

}  // namespace run::history
