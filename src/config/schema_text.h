#pragma once

#include <string_view>

namespace run::config {

/// The text of schemas/run-config.schema.json, compiled into the binary.
std::string_view run_config_schema_text();

}  // namespace run::config
