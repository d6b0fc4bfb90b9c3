#pragma once

#include <string>

#include "model/document.h"

namespace run::render {

enum class ShowOrigin { kNo, kYes };

/// The document as block YAML: map keys in document order,
/// strings quoted wherever YAML would read them as something else, secrets as "(sensitive)".
/// With ShowOrigin::kYes every value ends with `# file:line`.
std::string render_yaml(const model::Node& document, ShowOrigin show_origin = ShowOrigin::kNo);

/// One scalar as YAML would need it written (quoted when needed); "(sensitive)" for a secret.
std::string yaml_scalar(const model::Node& scalar);

/// A short one-line flow form (`{cpu: 2, memory: 1G}`, `[a, b]`) for messages and tables;
/// cut with "..." past `max_length` characters.
std::string flow_text(const model::Node& node, std::size_t max_length = 80);

}  // namespace run::render
