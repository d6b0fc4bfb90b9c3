#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace run {

/// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong
/// forms, surrogates and code points past U+10FFFF included), or nullopt when all is valid.
/// Checked at the edges because valijson's length checks read past the end of a string
/// whose UTF-8 is cut short.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

}  // namespace run
