#pragma once

#include <string>

namespace run::render {

/// Text made safe for one cell of a GitHub markdown table: a `|` would end the cell, a newline
/// the row, and a `<` could open an HTML tag inside a rendered pull-request comment.
std::string escape_cell(const std::string& text);

}  // namespace run::render
