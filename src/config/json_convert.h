#pragma once

#include <rapidjson/document.h>

#include "model/document.h"

namespace run::config {

/// The tree as JSON for the schema validator, each scalar typed as YAML resolved it (a quoted
/// "1.10" stays a string).
rapidjson::Document to_json(const model::Node& root);

}  // namespace run::config
