#include "config/dotenv_characters.h"

#include <array>

#include "core/utf8.h"

namespace run::config {

namespace {

struct Range {
  char32_t first;
  char32_t last;
};

/// Non-ASCII characters that are neither letters nor digits: Latin-1 punctuation and
/// symbols, general punctuation, currency, arrows to dingbats and other symbols, CJK
/// punctuation, surrogates and private use, specials, emoji and pictographs.
constexpr std::array<Range, 15> kNotLetters{{
    {0x80, 0x9F},
    {0xA1, 0xA9},
    {0xAB, 0xB1},
    {0xB4, 0xB4},
    {0xB6, 0xB8},
    {0xBB, 0xBB},
    {0xBF, 0xBF},
    {0xD7, 0xD7},
    {0xF7, 0xF7},
    {0x2000, 0x206F},
    {0x20A0, 0x2BFF},
    {0x3000, 0x303F},
    {0xD800, 0xF8FF},
    {0xFFF0, 0xFFFF},
    {0x1F000, 0x1FAFF},
}};

bool is_ascii_letter_or_digit(char32_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_listed(char32_t c) {
  for (const Range& range : kNotLetters)
    if (c >= range.first && c <= range.last) return true;
  return false;
}

}  // namespace

bool is_dotenv_blank(char32_t c) {
  return c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == ' ' || c == 0x85 || c == 0xA0;
}

bool is_unicode_space(char32_t c) {
  return c == '\n' || is_dotenv_blank(c) || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_dotenv_name_char(char32_t c) {
  if (c < 0x80)
    return is_ascii_letter_or_digit(c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
  return !is_unicode_space(c) && !is_listed(c);
}

std::string_view trim_right_unicode_space(std::string_view text) {
  bool trimmed = true;
  while (trimmed && !text.empty()) {
    trimmed = false;
    // A white space character takes one to three bytes in UTF-8.
    for (std::size_t length = 1; length <= 3 && length <= text.size(); ++length) {
      CodePoint last = decode_utf8_at(text, text.size() - length);
      if (last.length != length || !is_unicode_space(last.value)) continue;
      text.remove_suffix(length);
      trimmed = true;
      break;
    }
  }
  return text;
}

}  // namespace run::config
