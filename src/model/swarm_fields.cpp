#include "model/swarm_fields.h"

namespace run::model {

namespace {

std::string ratio_text(double ratio) { return format_cpus(ratio); }

/// `update.` or `rollback.` settings, each only when it is not Docker's default.
void add_rollout(FieldMap& fields, const std::string& prefix, const RolloutSettings& rollout) {
  const RolloutSettings defaults;
  if (rollout.parallelism != defaults.parallelism)
    fields[prefix + ".parallelism"] = std::to_string(rollout.parallelism);
  if (rollout.delay_ms != defaults.delay_ms)
    fields[prefix + ".delay"] = format_duration_ms(rollout.delay_ms);
  if (rollout.failure_action != defaults.failure_action)
    fields[prefix + ".failure_action"] = rollout.failure_action;
  if (rollout.monitor_ms != defaults.monitor_ms)
    fields[prefix + ".monitor"] = format_duration_ms(rollout.monitor_ms);
  if (rollout.max_failure_ratio != defaults.max_failure_ratio)
    fields[prefix + ".max_failure_ratio"] = ratio_text(rollout.max_failure_ratio);
}

void add_placement(FieldMap& fields, const SwarmSettings& swarm) {
  for (std::size_t i = 0; i < swarm.constraints.size(); ++i)
    fields["deploy.placement.constraints[" + std::to_string(i) + "]"] = swarm.constraints[i];
  for (std::size_t i = 0; i < swarm.preferences.size(); ++i)
    fields["deploy.placement.preferences[" + std::to_string(i) + "]"] = swarm.preferences[i];
  if (swarm.max_replicas_per_node)
    fields["deploy.placement.max_replicas_per_node"] = std::to_string(swarm.max_replicas_per_node);
}

}  // namespace

FieldMap swarm_fields(const ServiceSpec& spec, SecretForm secret_form) {
  FieldMap fields = recreate_fields(spec, secret_form);
  const SwarmSettings& swarm = spec.swarm;
  if (spec.in_place.cpus) fields["resources.cpu"] = format_cpus(*spec.in_place.cpus);
  if (spec.in_place.memory_bytes)
    fields["resources.memory"] = format_memory(*spec.in_place.memory_bytes);
  if (swarm.reserved_cpus) fields["resources.reservations.cpu"] = format_cpus(*swarm.reserved_cpus);
  if (swarm.reserved_memory_bytes)
    fields["resources.reservations.memory"] = format_memory(*swarm.reserved_memory_bytes);
  if (swarm.restart_condition != "any") fields["restart"] = swarm.restart_condition;
  if (swarm.mode != SwarmMode::kGlobal) fields["replicas"] = std::to_string(spec.replicas);
  if (swarm.mode != SwarmMode::kReplicated)
    fields["deploy.mode"] = std::string(to_string(swarm.mode));
  add_placement(fields, swarm);
  if (swarm.endpoint_mode != "vip") fields["deploy.endpoint_mode"] = swarm.endpoint_mode;
  if (spec.update_order == UpdateOrder::kStartFirst) fields["update.order"] = "start-first";
  add_rollout(fields, "update", swarm.update);
  if (swarm.rollback.start_first) fields["rollback.order"] = "start-first";
  add_rollout(fields, "rollback", swarm.rollback);
  return fields;
}

bool swarm_field_restarts_tasks(const std::string& path) {
  return path != "replicas" && !path.starts_with("update.") && !path.starts_with("rollback.");
}

}  // namespace run::model
