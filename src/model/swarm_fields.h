#pragma once

#include "model/desired_state.h"
#include "model/service_fields.h"

namespace run::model {

/// Everything a swarm service's spec holds of a service, flattened as recreate_fields does:
/// those fields, plus cpu and memory limits and reservations, replicas and mode, placement,
/// endpoint mode, the restart condition, and `update.*` and `rollback.*`. Fields at Docker's
/// default are left out, so that a spec read back from the manager (where an absent value
/// means the default) compares equal to the one run sent. The one form the swarm planner
/// compares, both sides through the same function.
FieldMap swarm_fields(const ServiceSpec& spec, SecretForm secret_form);

/// The fields a changed value of which makes the manager replace the service's tasks: all
/// but replicas, `update.*` and `rollback.*` (what only the manager reads).
bool swarm_field_restarts_tasks(const std::string& path);

}  // namespace run::model
