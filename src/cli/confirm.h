#pragma once

#include <string>

#include "core/result.h"

namespace run::cli {

/// Asks on the terminal before changing an environment: "yes" to go on, or, for a protected
/// environment, its name typed out. Without a terminal (CI, a pipe) it refuses with a
/// message that names --auto-approve. True when the user agreed.
Result<bool> confirm_changes(const std::string& verb, const std::string& environment, bool protected_environment);

}  // namespace run::cli
