#include "build/ignore_pattern.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace run::build {

namespace {

using Token = IgnorePattern::Token;
using Runes = std::vector<char32_t>;

/// A byte that is not part of valid UTF-8 becomes a value outside Unicode, so that it still
/// matches only itself.
constexpr char32_t kInvalidByteBase = 0x110000;

std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0) return 4;
  return 0;
}

/// The code points of `text`, as Go's regexp sees a path (it matches runes, not bytes: `?` is
/// one character of a UTF-8 name).
Runes decode(std::string_view text) {
  Runes runes;
  runes.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = sequence_length(lead);
    bool valid = length > 0 && at + length <= text.size();
    char32_t rune = length == 1 ? lead : lead & (0x7f >> length);
    for (std::size_t i = 1; valid && i < length; ++i) {
      auto next = static_cast<unsigned char>(text[at + i]);
      valid = (next & 0xc0) == 0x80;
      rune = (rune << 6) | (next & 0x3f);
    }
    if (!valid) {
      runes.push_back(kInvalidByteBase + lead);
      ++at;
      continue;
    }
    runes.push_back(rune);
    at += length;
  }
  return runes;
}

/// Reads one class member at `at` (a character, or `\` and the character it escapes), as
/// filepath.Match's getEsc does: '-' and ']' cannot start a member.
std::optional<char32_t> class_member(const Runes& pattern, std::size_t& at) {
  if (at >= pattern.size() || pattern[at] == '-' || pattern[at] == ']') return std::nullopt;
  if (pattern[at] == '\\' && ++at >= pattern.size()) return std::nullopt;
  return pattern[at++];
}

/// The class that starts after the '[' at `at`; `at` ends after its ']'. nullopt when it is
/// malformed: unclosed, empty, or a range without an end.
std::optional<Token> parse_class(const Runes& pattern, std::size_t& at) {
  Token token{Token::Type::kClass, 0, false, {}};
  if (at < pattern.size() && pattern[at] == '^') {
    token.negated = true;
    ++at;
  }
  while (true) {
    if (at < pattern.size() && pattern[at] == ']' && !token.ranges.empty()) {
      ++at;
      return token;
    }
    std::optional<char32_t> low = class_member(pattern, at);
    if (!low || at >= pattern.size()) return std::nullopt;
    char32_t high = *low;
    if (pattern[at] == '-') {
      ++at;
      std::optional<char32_t> end = class_member(pattern, at);
      if (!end || at >= pattern.size()) return std::nullopt;
      high = *end;
    }
    token.ranges.emplace_back(*low, high);
  }
}

bool in_class(const Token& token, char32_t rune) {
  bool inside = false;
  for (const auto& [low, high] : token.ranges) inside = inside || (low <= rune && rune <= high);
  return inside != token.negated;
}

/// Whether `rune` can be where `token` stands, for the tokens that take exactly one rune.
bool takes(const Token& token, char32_t rune) {
  switch (token.type) {
    case Token::Type::kLiteral:
      return rune == token.rune;
    case Token::Type::kClass:
      return in_class(token, rune);
    default:
      return rune != '/';  // kOneInName
  }
}

/// The tokens of `pattern` and the kind patternmatcher's compile() gives it, following its
/// rules step by step (including that a leading `**` makes a suffix match).
struct Compiled {
  IgnorePattern::Kind kind = IgnorePattern::Kind::kExact;
  std::vector<Token> tokens;
};

/// Handles the `**` at `at` (after its first '*'); see patternmatcher's compile().
void add_double_star(const Runes& pattern, std::size_t& at, bool first, Compiled& compiled) {
  using Kind = IgnorePattern::Kind;
  ++at;
  if (at < pattern.size() && pattern[at] == '/') ++at;
  if (at == pattern.size()) {
    if (compiled.kind == Kind::kExact) {
      compiled.kind = Kind::kPrefix;
    } else {
      compiled.tokens.push_back({Token::Type::kAnyRun, 0, false, {}});
      compiled.kind = Kind::kWildcards;
    }
  } else {
    compiled.tokens.push_back({Token::Type::kDirectories, 0, false, {}});
    compiled.kind = Kind::kWildcards;
  }
  if (first) compiled.kind = Kind::kSuffix;
}

std::optional<Compiled> compile_runes(const Runes& pattern) {
  using Kind = IgnorePattern::Kind;
  Compiled compiled;
  for (std::size_t at = 0; at < pattern.size();) {
    bool first = at == 0;
    char32_t rune = pattern[at++];
    Token token{Token::Type::kLiteral, rune, false, {}};
    if (rune == '*' && at < pattern.size() && pattern[at] == '*') {
      add_double_star(pattern, at, first, compiled);
      continue;
    }
    if (rune == '*') token.type = Token::Type::kRunInName;
    if (rune == '?') token.type = Token::Type::kOneInName;
    if (rune == '\\' && at == pattern.size()) return std::nullopt;
    if (rune == '\\') token.rune = pattern[at++];
    if (rune == '[') {
      std::optional<Token> parsed = parse_class(pattern, at);
      if (!parsed) return std::nullopt;
      token = std::move(*parsed);
    }
    bool wildcard = rune == '*' || rune == '?' || rune == '\\' || rune == '[' || rune == ']';
    if (wildcard) compiled.kind = Kind::kWildcards;
    compiled.tokens.push_back(std::move(token));
  }
  return compiled;
}

/// Whether `tokens` match the whole of `path`: the language of patternmatcher's regular
/// expression, decided by dynamic programming over (token, position) so that no pattern
/// backtracks exponentially. As in Go's regexp, the `.` of `.*` does not match a newline.
bool match_tokens(const std::vector<Token>& tokens, const Runes& path) {
  std::size_t width = path.size() + 1;
  // rest[i]: tokens from t on match path[i..]; after[i]: the same for tokens from t + 1.
  std::vector<std::uint8_t> after(width, 0);
  after[path.size()] = 1;
  std::vector<std::uint8_t> rest(width, 0);
  for (std::size_t t = tokens.size(); t-- > 0;) {
    const Token& token = tokens[t];
    // For kDirectories: some '/' at or after i, with no newline before it, is followed by a
    // match of the tokens after this one.
    bool slash_then_after = false;
    for (std::size_t i = width; i-- > 0;) {
      bool more = i < path.size();
      switch (token.type) {
        case Token::Type::kRunInName:
          rest[i] = after[i] || (more && path[i] != '/' && rest[i + 1]);
          break;
        case Token::Type::kAnyRun:
          rest[i] = after[i] || (more && path[i] != '\n' && rest[i + 1]);
          break;
        case Token::Type::kDirectories:
          if (more && path[i] == '\n') slash_then_after = false;
          if (more && path[i] == '/' && after[i + 1]) slash_then_after = true;
          rest[i] = after[i] || slash_then_after;
          break;
        default:
          rest[i] = more && takes(token, path[i]) && after[i + 1];
      }
    }
    after.swap(rest);
  }
  return after[0] != 0;
}

/// Adds one step of a path to the cleaned steps before it: "" and "." are dropped; ".." removes
/// the step before it, unless that is a ".." too, or the root, above which there is nothing.
void fold_step(std::vector<std::string_view>& steps, std::string_view step, bool rooted) {
  if (step.empty() || step == ".") return;
  if (step != "..") {
    steps.push_back(step);
    return;
  }
  if (!steps.empty() && steps.back() != "..") {
    steps.pop_back();
    return;
  }
  if (!rooted) steps.push_back(step);
}

}  // namespace

IgnorePattern::IgnorePattern(std::string text, Kind kind, std::vector<Token> tokens)
    : text_(std::move(text)), kind_(kind), tokens_(std::move(tokens)) {}

Result<IgnorePattern> IgnorePattern::compile(std::string pattern) {
  std::optional<Compiled> compiled = compile_runes(decode(pattern));
  if (!compiled)
    return make_error(SourceLocation{}, "", "syntax error in pattern '" + pattern + "'",
                      "a '[' needs its ']' and a member; a '\\' needs a character after it");
  return IgnorePattern(std::move(pattern), compiled->kind, std::move(compiled->tokens));
}

bool IgnorePattern::matches(std::string_view path) const {
  switch (kind_) {
    case Kind::kExact:
      return path == text_;
    case Kind::kPrefix:
      return path.starts_with(std::string_view(text_).substr(0, text_.size() - 2));
    case Kind::kSuffix: {
      std::string_view suffix = std::string_view(text_).substr(2);
      if (path.ends_with(suffix)) return true;
      return suffix.starts_with('/') && path == suffix.substr(1);
    }
    case Kind::kWildcards:
      return matches_wildcards(path);
  }
  return false;
}

bool IgnorePattern::matches_wildcards(std::string_view path) const {
  return match_tokens(tokens_, decode(path));
}

std::string clean_path(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = path.front() == '/';
  std::vector<std::string_view> steps;
  for (std::size_t start = 0; start <= path.size();) {
    std::size_t end = std::min(path.find('/', start), path.size());
    fold_step(steps, path.substr(start, end - start), rooted);
    start = end + 1;
  }
  std::string cleaned = rooted ? "/" : "";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (i > 0) cleaned += '/';
    cleaned += steps[i];
  }
  return cleaned.empty() ? "." : cleaned;
}

}  // namespace run::build
