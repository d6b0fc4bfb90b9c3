#pragma once

#include <atomic>
#include <string>

#include "core/result.h"

namespace run::cli {

/// Asks on the terminal before changing an environment: "yes" to go on, or, for a protected
/// environment, its name typed out. Without a terminal (CI, a pipe) it refuses with a
/// message that names --auto-approve. True when the user agreed; false as soon as `stop`
/// becomes true (Ctrl-C at the question cancels, it does not wait for Enter).
Result<bool> confirm_changes(const std::string& verb, const std::string& environment,
                             bool protected_environment, const std::atomic<bool>& stop);

}  // namespace run::cli
