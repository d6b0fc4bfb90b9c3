#pragma once

#include <string>

#include "config/interpolate.h"
#include "core/result.h"
#include "history/record.h"
#include "model/desired_state.h"

namespace run::history {

/// The desired state a record holds, as state_from_json reads it: secrets without their
/// values. Errors are located at "record #N of ENV: state.json" (record_name).
Result<model::DesiredState> recorded_state(const Record& record);

/// The record's state ready to deploy again, as rollback and a reconcile rollback hold do:
/// every secret's value is looked up in `scope`, today's secrets (resolve_secrets).
Result<model::DesiredState> restored_state(const Record& record,
                                           const config::InterpolationScope& scope);

}  // namespace run::history
