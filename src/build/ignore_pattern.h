#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace run::build {

/// One `.dockerignore` pattern, compiled to match as moby/patternmatcher matches it (the
/// library the docker CLI uses): `*` is any run of characters other than '/', `?` one of them,
/// `[...]` a class (`[^...]` negated; ranges `a-z`; a negated class matches '/' too), `\`
/// takes the next character literally, and `**` any number of directories, none included.
///
/// patternmatcher's shortcuts are kept, quirks included, so that what docker sends and what
/// run sends agree: a pattern without wildcards matches only the same path; one ending in `**`
/// and otherwise literal matches every path with that prefix; one starting with `**` and
/// otherwise literal matches every path with that suffix (so `**foo` matches `barfoo`, and
/// `**/foo` matches `foo` too).
class IgnorePattern {
 public:
  /// Compiles `pattern`, already cleaned (see clean_path). An error for a malformed class or a
  /// trailing `\`, the patterns Go's filepath.Match refuses.
  static Result<IgnorePattern> compile(std::string pattern);

  /// Whether the whole of `path` ('/'-separated, relative) matches.
  bool matches(std::string_view path) const;

  const std::string& text() const { return text_; }

  /// How a pattern is matched: patternmatcher's kinds.
  enum class Kind { kExact, kPrefix, kSuffix, kWildcards };

  /// One step of a pattern with wildcards; public for the compiler in the .cpp only.
  struct Token {
    enum class Type { kLiteral, kClass, kOneInName, kRunInName, kAnyRun, kDirectories };
    Type type = Type::kLiteral;
    char32_t rune = 0;  ///< for kLiteral
    bool negated = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;  ///< for kClass: inclusive bounds
  };

 private:
  IgnorePattern(std::string text, Kind kind, std::vector<Token> tokens);
  bool matches_wildcards(std::string_view path) const;

  std::string text_;
  Kind kind_ = Kind::kExact;
  std::vector<Token> tokens_;
};

/// `path` cleaned lexically as Go's filepath.Clean does: repeated and trailing '/' removed,
/// "." steps dropped, "dir/.." folded; "" and "./" become ".". Nothing is looked up.
std::string clean_path(std::string_view path);

}  // namespace run::build
