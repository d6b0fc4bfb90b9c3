#pragma once

#include <vector>

#include "model/service_fields.h"
#include "plan/action.h"

namespace run::plan {

/// The fields that differ between what runs (`before`) and what is wanted (`after`), in path
/// order; a field on one side only has nullopt on the other. Secret values
/// ("(sensitive:FINGERPRINT)") are compared by fingerprint and shown as "(sensitive)".
std::vector<FieldChange> diff_fields(const model::FieldMap& before, const model::FieldMap& after);

}  // namespace run::plan
