#pragma once

#include "cli/options.h"

namespace run::cli {

/// Sends logs to stderr at the level -v / -q ask for, as text or one JSON object per line
/// (--log-format json).
void setup_logging(const GlobalOptions& global);

}  // namespace run::cli
