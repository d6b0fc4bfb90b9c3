#pragma once

#include "core/diagnostic.h"
#include "model/document.h"

namespace run::config {

/// Validates a merged, interpolated configuration against schemas/run-config.schema.json
/// (compiled in) with valijson, and turns every violation into a diagnostic at the
/// file:line:col of the value (or key) at fault: the JSON path, what was expected, and a hint
/// for the usual slips (a misspelt key, `no` or `1.10` where a string is meant).
Diagnostics validate_schema(const model::Node& root);

}  // namespace run::config
