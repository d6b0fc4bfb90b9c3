#include "model/scalar_type.h"

#include <algorithm>
#include <array>

namespace run::model {

namespace {

bool is_one_of(std::string_view text, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), text) != words.end();
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_octal_digit(char c) { return c >= '0' && c <= '7'; }

bool all_of(std::string_view text, bool (*predicate)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), predicate);
}

std::string_view without_sign(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  return text;
}

bool is_integer(std::string_view text) {
  if (text.starts_with("0o")) return all_of(text.substr(2), is_octal_digit);
  if (text.starts_with("0x")) return all_of(text.substr(2), is_hex_digit);
  return all_of(without_sign(text), is_digit);
}

std::size_t count_digits(std::string_view text, std::size_t& i) {
  std::size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  return i - start;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_decimal_float(std::string_view text) {
  text = without_sign(text);
  std::size_t i = 0;
  std::size_t whole = count_digits(text, i);
  std::size_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    fraction = count_digits(text, i);
  }
  if (whole == 0 && fraction == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (count_digits(text, i) == 0) return false;
  }
  return i == text.size();
}

bool is_float(std::string_view text) {
  if (is_one_of(without_sign(text), {".inf", ".Inf", ".INF"})) return true;
  if (is_one_of(text, {".nan", ".NaN", ".NAN"})) return true;
  return is_decimal_float(text);
}

}  // namespace

bool is_yaml11_boolean(std::string_view text) {
  return is_one_of(text,
                   {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"});
}

bool is_true_literal(std::string_view text) {
  return is_one_of(text, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"});
}

NodeKind resolve_plain_scalar(std::string_view text) {
  if (is_one_of(text, {"", "~", "null", "Null", "NULL"})) return NodeKind::kNull;
  if (is_one_of(text, {"true", "True", "TRUE", "false", "False", "FALSE"})) return NodeKind::kBool;
  if (is_yaml11_boolean(text)) return NodeKind::kBool;
  if (is_integer(text)) return NodeKind::kInt;
  if (is_float(text)) return NodeKind::kFloat;
  return NodeKind::kString;
}

}  // namespace run::model
