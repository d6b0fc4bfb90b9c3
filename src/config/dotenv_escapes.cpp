#include "config/dotenv_escapes.h"

#include <optional>

#include "core/utf8.h"

namespace run::config {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }

std::optional<char> control_character(char letter) {
  switch (letter) {
    case 'a':
      return '\a';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    case '"':
      return '"';
    case '\\':
      return '\\';
    default:
      return std::nullopt;
  }
}

/// How many digits follow `\0` at `digits`: compose takes up to three.
std::size_t octal_escape_digits(std::string_view text, std::size_t digits) {
  std::size_t count = 0;
  while (count < 3 && digits + count < text.size() && is_digit(text[digits + count])) ++count;
  return count;
}

/// The character of `\0ddd`, or nullopt when compose keeps the escape as written: fewer than
/// three digits, an 8 or a 9, or a value past 255.
std::optional<std::string> octal_character(std::string_view digits) {
  if (digits.size() != 3) return std::nullopt;
  unsigned value = 0;
  for (char digit : digits) {
    if (!is_octal(digit)) return std::nullopt;
    value = value * 8 + static_cast<unsigned>(digit - '0');
  }
  if (value > 0xFF) return std::nullopt;
  return encode_utf8(static_cast<char32_t>(value));
}

}  // namespace

std::string expand_dotenv_escapes(std::string_view text, EscapedDollar dollar) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i++];
      continue;
    }
    char letter = text[i + 1];
    if (letter == '$') {
      out += dollar == EscapedDollar::kDoubled ? "$$" : "$";
      i += 2;
    } else if (std::optional<char> control = control_character(letter)) {
      out += *control;
      i += 2;
    } else if (letter == '0') {
      std::size_t digits = octal_escape_digits(text, i + 2);
      std::optional<std::string> character = octal_character(text.substr(i + 2, digits));
      out += character ? *character : std::string(text.substr(i, 2 + digits));
      i += 2 + digits;
    } else {
      out += text[i++];  // not an escape: the backslash stays, the next character is read anew
    }
  }
  return out;
}

}  // namespace run::config
