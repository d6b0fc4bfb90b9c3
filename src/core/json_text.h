#pragma once

#include <string>
#include <string_view>

namespace run {

/// `text` as a JSON string literal, quotes included: control characters, '"' and '\' are
/// escaped, so the result is safe in JSON and in YAML's double-quoted style alike.
std::string json_quote(std::string_view text);

}  // namespace run
