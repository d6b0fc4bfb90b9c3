#pragma once

#include <rapidjson/document.h>

#include "model/document.h"

namespace run::config {

/// True for a key such as `x-defaults`: an extension, ignored by validation and rendering.
bool is_extension_key(std::string_view key);

/// The tree as JSON for the schema validator, each scalar typed as YAML resolved it (a quoted
/// "1.10" stays a string). Extension keys (`x-...`) are left out.
rapidjson::Document to_json(const model::Node& root);

}  // namespace run::config
