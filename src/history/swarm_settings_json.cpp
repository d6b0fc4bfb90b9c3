#include "history/swarm_settings_json.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <limits>
#include <string_view>

namespace run::history {

namespace {

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

constexpr std::array<model::SwarmMode, 3> kSwarmModes{
    model::SwarmMode::kReplicated, model::SwarmMode::kGlobal, model::SwarmMode::kReplicatedJob};

/// Which of update's and rollback's settings a rollout is: rollback cannot roll back.
enum class RolloutKind { kUpdate, kRollback };

// ---- writing ------------------------------------------------------------------------------

void write_rollout(JsonWriter& json, std::string_view name, const model::RolloutSettings& rollout) {
  json.key(name);
  json.begin_object();
  json.integer_member("parallelism", rollout.parallelism);
  json.integer_member("delay_ms", rollout.delay_ms);
  json.string_member("failure_action", rollout.failure_action);
  json.integer_member("monitor_ms", rollout.monitor_ms);
  json.number_member("max_failure_ratio", rollout.max_failure_ratio);
  json.boolean_member("start_first", rollout.start_first);
  json.end_object();
}

void write_reservations(JsonWriter& json, const model::SwarmSettings& swarm) {
  json.key("reservations");
  json.begin_object();
  json.key("cpus");
  swarm.reserved_cpus ? json.number(*swarm.reserved_cpus) : json.null();
  json.key("memory_bytes");
  swarm.reserved_memory_bytes ? json.integer(*swarm.reserved_memory_bytes) : json.null();
  json.end_object();
}

// ---- reading ------------------------------------------------------------------------------

/// Reads `name` as one of `words`; an error listing them otherwise, and the first.
std::string read_word(JsonReader& reader, JsonObject& object, std::string_view name,
                      std::initializer_list<std::string_view> words) {
  std::string text = object.string(name);
  if (std::find(words.begin(), words.end(), text) != words.end()) return text;
  std::string listed;
  for (std::string_view word : words) listed += (listed.empty() ? "" : ", ") + std::string(word);
  if (object.member(name) && object.member(name)->IsString())
    reader.error(object.path_of(name), "unknown value '" + text + "'", "expected one of " + listed);
  return std::string(*words.begin());
}

model::SwarmMode read_mode(JsonReader& reader, JsonObject& object) {
  std::string text = read_word(reader, object, "mode", {"replicated", "global", "replicated-job"});
  for (model::SwarmMode mode : kSwarmModes)
    if (model::to_string(mode) == text) return mode;
  return model::SwarmMode::kReplicated;
}

double read_ratio(JsonReader& reader, JsonObject& object, std::string_view name) {
  double ratio = object.number(name);
  if (ratio >= 0 && ratio <= 1) return ratio;
  reader.error(object.path_of(name),
               "expected a number from 0 to 1, found " + std::to_string(ratio));
  return 0;
}

model::RolloutSettings read_rollout(JsonReader& reader, JsonObject& swarm, std::string_view name,
                                    RolloutKind kind) {
  model::RolloutSettings rollout;
  const JsonValue* value = swarm.member(name);
  if (value == nullptr) return rollout;  // reported missing already
  JsonObject object(reader, *value, swarm.path_of(name),
                    {"parallelism", "delay_ms", "failure_action", "monitor_ms", "max_failure_ratio",
                     "start_first"});
  rollout.parallelism = static_cast<int>(object.integer("parallelism", 0, kIntMax));
  rollout.delay_ms = object.integer("delay_ms", 0, kInt64Max);
  rollout.failure_action =
      kind == RolloutKind::kUpdate
          ? read_word(reader, object, "failure_action", {"pause", "continue", "rollback"})
          : read_word(reader, object, "failure_action", {"pause", "continue"});
  rollout.monitor_ms = object.integer("monitor_ms", 0, kInt64Max);
  rollout.max_failure_ratio = read_ratio(reader, object, "max_failure_ratio");
  rollout.start_first = object.boolean("start_first");
  return rollout;
}

void read_reservations(JsonReader& reader, JsonObject& swarm, model::SwarmSettings& settings) {
  const JsonValue* value = swarm.member("reservations");
  if (value == nullptr) return;  // reported missing already
  JsonObject object(reader, *value, swarm.path_of("reservations"), {"cpus", "memory_bytes"});
  settings.reserved_cpus = object.optional_number("cpus");
  settings.reserved_memory_bytes = object.optional_integer("memory_bytes", 0, kInt64Max);
}

}  // namespace

void write_swarm_settings(JsonWriter& json, const model::SwarmSettings& swarm) {
  if (swarm == model::SwarmSettings{}) return;
  json.key("swarm");
  json.begin_object();
  json.string_member("mode", model::to_string(swarm.mode));
  json.strings_member("constraints", swarm.constraints);
  json.strings_member("preferences", swarm.preferences);
  json.integer_member("max_replicas_per_node", swarm.max_replicas_per_node);
  json.string_member("endpoint_mode", swarm.endpoint_mode);
  json.string_member("restart_condition", swarm.restart_condition);
  write_reservations(json, swarm);
  write_rollout(json, "update", swarm.update);
  write_rollout(json, "rollback", swarm.rollback);
  json.end_object();
}

model::SwarmSettings read_swarm_settings(JsonReader& reader, JsonObject& service) {
  model::SwarmSettings settings;
  const JsonValue* value = service.member("swarm");
  if (value == nullptr) return settings;  // a container target's service, or an older record
  JsonObject object(reader, *value, service.path_of("swarm"),
                    {"mode", "constraints", "preferences", "max_replicas_per_node", "endpoint_mode",
                     "restart_condition", "reservations", "update", "rollback"});
  settings.mode = read_mode(reader, object);
  settings.constraints = object.strings("constraints");
  settings.preferences = object.strings("preferences");
  settings.max_replicas_per_node =
      static_cast<int>(object.integer("max_replicas_per_node", 0, kIntMax));
  settings.endpoint_mode = read_word(reader, object, "endpoint_mode", {"vip", "dnsrr"});
  settings.restart_condition =
      read_word(reader, object, "restart_condition", {"any", "on-failure", "none"});
  read_reservations(reader, object, settings);
  settings.update = read_rollout(reader, object, "update", RolloutKind::kUpdate);
  settings.rollback = read_rollout(reader, object, "rollback", RolloutKind::kRollback);
  return settings;
}

}  // namespace run::history
