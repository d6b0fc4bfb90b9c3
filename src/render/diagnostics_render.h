#pragma once

#include <string>

#include "core/diagnostic.h"

namespace run::render {

/// Each diagnostic as `FILE:LINE:COL: error: MESSAGE (at PATH)` with its hint line.
std::string diagnostics_text(const Diagnostics& diagnostics);

/// `{"valid": bool, "errors": N, "warnings": N, "diagnostics": [{severity, file, line,
/// column, path, message, hint}]}`: what CI annotations read (docs/output-contract.md).
std::string diagnostics_json(const Diagnostics& diagnostics);

}  // namespace run::render
