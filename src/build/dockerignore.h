#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "build/ignore_pattern.h"
#include "core/result.h"

namespace run::build {

/// The rules of a `.dockerignore`, read and applied as the docker CLI does (moby/patternmatcher
/// and its ignorefile reader), so that run sends the daemon the files `docker build` would.
///
/// Reading: one pattern a line; a UTF-8 byte-order mark is dropped; a line that starts with '#'
/// is a comment (one indented by a space is a pattern); whitespace around a pattern is trimmed,
/// blank lines skipped; a leading '!' makes an exception; a pattern is cleaned as a path
/// (`./a//b/` is `a/b`) and a leading '/' dropped, so `/a` is `a`: paths are relative to the
/// context's root. See IgnorePattern for what the wildcards mean.
class IgnoreRules {
 public:
  IgnoreRules() = default;

  /// The rules of `text`, or an error naming the line of a malformed pattern, or of a lone '!'.
  static Result<IgnoreRules> parse(std::string_view text);

  /// Whether `path` (a file's path relative to the context, '/'-separated, clean) is left out:
  /// the last rule that matches it or one of its parent directories decides, an exception
  /// ('!') keeping it. patternmatcher's MatchesOrParentMatches.
  bool excluded(const std::string& path) const;

  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    IgnorePattern pattern;
    bool exception = false;  ///< a '!' rule: what matches it is kept
  };

  /// Whether the rule matches `path` or one of the directories above it.
  static bool matches_or_parent_matches(const Rule& rule, const std::string& path);

  std::vector<Rule> rules_;
};

}  // namespace run::build
