#include <doctest/doctest.h>

#include <string>

#include "build/dockerignore.h"
#include "build/ignore_pattern.h"

namespace run::build {

namespace {

IgnoreRules rules_ok(std::string_view text) {
  Result<IgnoreRules> rules = IgnoreRules::parse(text);
  if (!rules) FAIL("unexpected error: " << format_diagnostic(rules.errors().front()));
  return std::move(rules).value();
}

std::string rules_error(std::string_view text) {
  Result<IgnoreRules> rules = IgnoreRules::parse(text);
  REQUIRE_FALSE(rules);
  return rules.errors().front().message;
}

}  // namespace

TEST_CASE("dockerignore: comments and blank lines are skipped; an indented '#' is a pattern") {
  IgnoreRules rules = rules_ok("# build output\n\n   \n  # kept\n\xEF\xBB\xBFnot-bom\n");
  CHECK_FALSE(rules.excluded("# build output"));
  CHECK(rules.excluded("# kept"));
  CHECK(rules.excluded("\xEF\xBB\xBFnot-bom"));  // a mark is dropped only from the first line
  CHECK(rules_ok("\xEF\xBB\xBF"
                 "secret\r\n")
            .excluded("secret"));
  CHECK(rules_ok("").empty());
}

TEST_CASE("dockerignore: '!' keeps what an earlier pattern left out, and the last match wins") {
  IgnoreRules rules = rules_ok("*.md\n!README.md\n");
  CHECK(rules.excluded("CHANGES.md"));
  CHECK_FALSE(rules.excluded("README.md"));
  CHECK_FALSE(rules.excluded("docs/guide.md"));  // '*' does not cross '/'
  CHECK_FALSE(rules.excluded("main.cpp"));

  IgnoreRules later = rules_ok("*.txt\n!keep.txt\nkeep.txt\n");
  CHECK(later.excluded("keep.txt"));
  CHECK(rules_ok("! keep.txt\n*.txt\n").excluded("keep.txt"));  // an exception first keeps nothing
}

TEST_CASE("dockerignore: a pattern that matches a directory leaves out everything under it") {
  IgnoreRules rules = rules_ok("build\nlogs/\n!logs/important.log\n");
  CHECK(rules.excluded("build/out/app.o"));
  CHECK(rules.excluded("build"));
  CHECK_FALSE(rules.excluded("builder/x"));
  CHECK_FALSE(rules.excluded("src/build.cpp"));
  CHECK(rules.excluded("logs/debug.log"));
  CHECK_FALSE(rules.excluded("logs/important.log"));

  IgnoreRules everything_but_src = rules_ok("*\n!src\n");
  CHECK(everything_but_src.excluded("Makefile"));
  CHECK_FALSE(everything_but_src.excluded("src/main.cpp"));
  CHECK_FALSE(everything_but_src.excluded("src/deep/er.cpp"));
}

TEST_CASE("dockerignore: '**' matches any number of directories, none included") {
  IgnoreRules logs = rules_ok("**/*.log\n");
  CHECK(logs.excluded("app.log"));
  CHECK(logs.excluded("var/log/app.log"));
  CHECK_FALSE(logs.excluded("app.log.1"));

  IgnoreRules nested = rules_ok("a/**/b\n");
  CHECK(nested.excluded("a/b"));
  CHECK(nested.excluded("a/x/y/b"));
  CHECK(nested.excluded("a/x/b/inside.txt"));
  CHECK_FALSE(nested.excluded("a/xb"));
  CHECK_FALSE(nested.excluded("c/a/b"));

  IgnoreRules under = rules_ok("node_modules/**\n");
  CHECK(under.excluded("node_modules/left-pad/index.js"));
  CHECK_FALSE(under.excluded("node_modules2/x"));

  CHECK(rules_ok("**\n").excluded("any/thing"));
  // patternmatcher's suffix shortcut, kept so run sends what docker sends: `**/foo` is "ends
  // with /foo, or is foo"; `**foo` is "ends with foo".
  CHECK(rules_ok("**/foo\n").excluded("foo"));
  CHECK(rules_ok("**/foo\n").excluded("x/y/foo"));
  CHECK_FALSE(rules_ok("**/foo\n").excluded("x/barfoo"));
  CHECK(rules_ok("**foo\n").excluded("x/barfoo"));
}

TEST_CASE("dockerignore: patterns are cleaned as paths, relative to the context's root") {
  CHECK(rules_ok("/secret.key\n").excluded("secret.key"));
  CHECK(rules_ok("./tmp//cache/\n").excluded("tmp/cache/entry"));
  CHECK(rules_ok("a/../b\n").excluded("b/file"));
  CHECK(rules_ok("  spaced.txt \t\n").excluded("spaced.txt"));
  CHECK_FALSE(rules_ok("/secret.key\n").excluded("sub/secret.key"));
}

TEST_CASE("dockerignore: '?', classes and escapes") {
  IgnoreRules one = rules_ok("a?c\n");
  CHECK(one.excluded("abc"));
  CHECK(
      one.excluded("a\xC3\xA9"
                   "c"));  // '?' is one character, not one byte
  CHECK_FALSE(one.excluded("a/c"));
  CHECK_FALSE(one.excluded("abbc"));

  IgnoreRules classes = rules_ok("[abc].txt\n[^x]y\nv[0-9]\n");
  CHECK(classes.excluded("b.txt"));
  CHECK_FALSE(classes.excluded("d.txt"));
  CHECK(classes.excluded("zy"));
  CHECK_FALSE(classes.excluded("xy"));
  CHECK(classes.excluded("v7"));
  CHECK_FALSE(classes.excluded("vx"));

  IgnoreRules escaped = rules_ok("\\*.txt\nfile\\?\n");
  CHECK(escaped.excluded("*.txt"));
  CHECK_FALSE(escaped.excluded("a.txt"));
  CHECK(escaped.excluded("file?"));
  CHECK_FALSE(escaped.excluded("files"));

  IgnoreRules literal = rules_ok("v1.0+(beta)\n");  // regular-expression characters are literal
  CHECK(literal.excluded("v1.0+(beta)"));
  CHECK_FALSE(literal.excluded("v1x0+(beta)"));
}

TEST_CASE("dockerignore: a malformed pattern or a lone '!' is an error naming its line") {
  CHECK(rules_error("ok\n[abc\n") == ".dockerignore line 2: syntax error in pattern '[abc'");
  CHECK(rules_error("[]\n").starts_with(".dockerignore line 1: syntax error"));
  CHECK(rules_error("trailing\\\n").starts_with(".dockerignore line 1: syntax error"));
  CHECK(rules_error("# c\n!\n") == ".dockerignore line 2: a '!' needs a pattern after it");
  CHECK(rules_error("!/\n") == ".dockerignore line 1: a '!' needs a pattern after it");
}

TEST_CASE("clean_path: as Go's filepath.Clean") {
  CHECK(clean_path("") == ".");
  CHECK(clean_path("./") == ".");
  CHECK(clean_path("a//b/./c/") == "a/b/c");
  CHECK(clean_path("a/b/../../..") == "..");
  CHECK(clean_path("../a/../b") == "../b");
  CHECK(clean_path("/../a") == "/a");
  CHECK(clean_path("//") == "/");
  CHECK(clean_path("!a/../b") == "b");
}

}  // namespace run::build
