#include "build/dockerignore.h"

#include <optional>

namespace run::build {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kWhitespace = " \t\n\v\f\r";

std::string_view trimmed(std::string_view text) {
  std::size_t start = text.find_first_not_of(kWhitespace);
  if (start == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(kWhitespace);
  return text.substr(start, end - start + 1);
}

/// The lines of `text` as Go's bufio.ScanLines gives them: split at '\n', a '\r' before it
/// dropped, no empty last line after a final newline.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

/// One line as ignorefile.ReadAll leaves it: nullopt for a comment or a blank line, else the
/// pattern, cleaned, relative, with its '!' kept in front.
std::optional<std::string> read_line(std::string_view line) {
  if (line.starts_with('#')) return std::nullopt;
  std::string_view pattern = trimmed(line);
  if (pattern.empty()) return std::nullopt;
  bool exception = pattern.front() == '!';
  if (exception) pattern = trimmed(pattern.substr(1));
  std::string cleaned;
  if (!pattern.empty()) {
    cleaned = clean_path(pattern);
    if (cleaned.size() > 1 && cleaned.front() == '/') cleaned.erase(0, 1);
  }
  return exception ? "!" + cleaned : cleaned;
}

Diagnostic line_error(std::size_t line_number, const std::string& message, std::string hint = {}) {
  return make_error(SourceLocation{}, "",
                    ".dockerignore line " + std::to_string(line_number) + ": " + message,
                    std::move(hint));
}

/// The directories above `path`, nearest the root first: "a", "a/b" for "a/b/c".
std::vector<std::string_view> parent_directories(std::string_view path) {
  std::vector<std::string_view> parents;
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1))
    parents.push_back(path.substr(0, slash));
  return parents;
}

}  // namespace

Result<IgnoreRules> IgnoreRules::parse(std::string_view text) {
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  IgnoreRules rules;
  std::vector<std::string_view> lines = lines_of(text);
  for (std::size_t index = 0; index < lines.size(); ++index) {
    std::optional<std::string> line = read_line(lines[index]);
    if (!line) continue;
    // patternmatcher.New cleans once more, with the '!' still in front: "!/" becomes "!".
    std::string pattern = clean_path(*line);
    bool exception = pattern.front() == '!';
    if (exception && pattern.size() == 1)
      return line_error(index + 1, "a '!' needs a pattern after it",
                        "write !path to keep a path an earlier line leaves out");
    if (exception) pattern.erase(0, 1);
    Result<IgnorePattern> compiled = IgnorePattern::compile(pattern);
    if (!compiled)
      return line_error(index + 1, compiled.errors().front().message,
                        compiled.errors().front().hint);
    rules.rules_.push_back(Rule{std::move(*compiled), exception});
  }
  return rules;
}

bool IgnoreRules::matches_or_parent_matches(const Rule& rule, const std::string& path) {
  if (rule.pattern.matches(path)) return true;
  for (std::string_view parent : parent_directories(path))
    if (rule.pattern.matches(parent)) return true;
  return false;
}

bool IgnoreRules::excluded(const std::string& path) const {
  bool matched = false;
  for (const Rule& rule : rules_) {
    // An exclusion cannot change a path already left out, nor an exception one still kept.
    if (rule.exception != matched) continue;
    if (matches_or_parent_matches(rule, path)) matched = !rule.exception;
  }
  return matched;
}

}  // namespace run::build
