#pragma once

#include <string_view>

namespace run::config {

/// What separates a name, its `=` and its value in `.env`: compose's blanks (tab, vertical
/// tab, form feed, carriage return, space, U+0085, U+00A0), never a line break.
bool is_dotenv_blank(char32_t c);

/// Unicode white space, line breaks included (Go's unicode.IsSpace, which compose uses to
/// skip between statements and to trim a bare value).
bool is_unicode_space(char32_t c);

/// A character a `.env` name may hold: letters and digits of any script, and `_ . - [ ]`.
/// Outside ASCII, run counts every character as a letter except white space and the
/// punctuation, symbol and private-use blocks (compose asks Unicode's letter and number
/// categories; the two differ only on rare scripts' punctuation).
bool is_dotenv_name_char(char32_t c);

/// `text` without the Unicode white space at its end.
std::string_view trim_right_unicode_space(std::string_view text);

}  // namespace run::config
