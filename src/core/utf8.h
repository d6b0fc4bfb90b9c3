#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace run {

/// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong
/// forms, surrogates and code points past U+10FFFF included), or nullopt when all is valid.
/// Checked at the edges because valijson's length checks read past the end of a string
/// whose UTF-8 is cut short.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

/// One character of a UTF-8 text and how many bytes it takes.
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 0;
};

/// The character that starts at `offset` (< text.size()). A byte that does not start a
/// well-formed sequence reads, as in Go, as U+FFFD one byte long.
CodePoint decode_utf8_at(std::string_view text, std::size_t offset);

/// `code_point` (at most U+10FFFF, not a surrogate) in UTF-8.
std::string encode_utf8(char32_t code_point);

}  // namespace run
