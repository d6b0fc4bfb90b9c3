#pragma once

#include <string>

#include "model/explanation.h"

namespace run::render {

/// The value, then one line per file of the chain with its file:line, what it wrote and
/// whether it was overridden; a last line when interpolation changed the text.
std::string explanation_text(const model::Explanation& explanation);

/// {"path", "environment", "value", "origin", "chain": [{"file", "line", "column",
/// "effect", "value"}]}
std::string explanation_json(const model::Explanation& explanation);

}  // namespace run::render
