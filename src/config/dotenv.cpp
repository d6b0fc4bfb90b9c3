#include "config/dotenv.h"

#include <optional>

namespace run::config {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

bool is_variable_name(std::string_view name) {
  if (name.empty() || !is_name_start(name[0])) return false;
  for (char c : name)
    if (!is_name_char(c)) return false;
  return true;
}

char unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    default:
      return c;
  }
}

/// A value in double quotes; nullopt when the closing quote is missing.
std::optional<std::string> double_quoted(std::string_view rest) {
  std::string value;
  for (std::size_t i = 1; i < rest.size(); ++i) {
    if (rest[i] == '"') return value;
    if (rest[i] == '\\' && i + 1 < rest.size()) {
      value += unescape(rest[++i]);
      continue;
    }
    value += rest[i];
  }
  return std::nullopt;
}

std::optional<std::string> single_quoted(std::string_view rest) {
  std::size_t close = rest.find('\'', 1);
  if (close == std::string_view::npos) return std::nullopt;
  return std::string(rest.substr(1, close - 1));
}

std::string bare(std::string_view rest) {
  std::size_t comment = rest.find(" #");
  if (comment != std::string_view::npos) rest = rest.substr(0, comment);
  return std::string(trim(rest));
}

std::optional<std::string> parse_value(std::string_view rest) {
  rest = trim(rest);
  if (rest.starts_with('"')) return double_quoted(rest);
  if (rest.starts_with('\'')) return single_quoted(rest);
  return bare(rest);
}

}  // namespace

Result<VariableMap> parse_dotenv(std::string_view text, const std::string& file_name) {
  VariableMap variables;
  Diagnostics errors;
  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line = trim(line.substr(7));
    SourceLocation where{file_name, line_number, 1};
    std::size_t equals = line.find('=');
    std::string_view name = trim(line.substr(0, equals));
    if (equals == std::string_view::npos || !is_variable_name(name)) {
      errors.push_back(
          make_error(where, "", "expected KEY=VALUE", "a name starts with a letter or '_'"));
      continue;
    }
    std::optional<std::string> value = parse_value(line.substr(equals + 1));
    if (!value) {
      errors.push_back(
          make_error(where, "", "the quoted value of " + std::string(name) + " is not closed"));
      continue;
    }
    variables[std::string(name)] = std::move(*value);
  }
  if (!errors.empty()) return errors;
  return variables;
}

}  // namespace run::config
