#include <doctest/doctest.h>

#include <string>

#include "render/text_diff.h"

namespace run::render {

namespace {

std::string numbered(int from, int to) {
  std::string text;
  for (int i = from; i <= to; ++i) text += "line " + std::to_string(i) + "\n";
  return text;
}

}  // namespace

TEST_CASE("text diff: equal texts give no diff") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "a/f", "b/f").empty());
  CHECK(unified_diff("", "", "a/f", "b/f").empty());
}

TEST_CASE("text diff: one changed line is shown with three lines of context, as git does") {
  std::string before = numbered(1, 10);
  std::string after = numbered(1, 4) + "line five\n" + numbered(6, 10);
  CHECK(unified_diff(before, after, "a/env.yaml", "b/env.yaml") ==
        "--- a/env.yaml\n"
        "+++ b/env.yaml\n"
        "@@ -2,7 +2,7 @@\n"
        " line 2\n"
        " line 3\n"
        " line 4\n"
        "-line 5\n"
        "+line five\n"
        " line 6\n"
        " line 7\n"
        " line 8\n");
}

TEST_CASE("text diff: changes far apart get a hunk each, close ones share one") {
  std::string before = numbered(1, 20);
  std::string far = "line one\n" + numbered(2, 19) + "line twenty\n";
  CHECK(unified_diff(before, far, "a/f", "b/f") ==
        "--- a/f\n+++ b/f\n"
        "@@ -1,4 +1,4 @@\n-line 1\n+line one\n line 2\n line 3\n line 4\n"
        "@@ -17,4 +17,4 @@\n line 17\n line 18\n line 19\n-line 20\n+line twenty\n");
  std::string close = "line one\n" + numbered(2, 7) + "line eight\n" + numbered(9, 20);
  CHECK(unified_diff(before, close, "a/f", "b/f").find("@@ -1,11 +1,11 @@\n") != std::string::npos);
}

TEST_CASE("text diff: added lines, a new file and a missing final newline") {
  CHECK(unified_diff("a:\n  b: 1\n", "a:\n  b: 1\n  c: 2\n", "a/f", "b/f") ==
        "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a:\n   b: 1\n+  c: 2\n");
  CHECK(unified_diff("", "x: 1\ny: 2\n", "/dev/null", "b/f") ==
        "--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+x: 1\n+y: 2\n");
  CHECK(unified_diff("x: 1", "x: 1\ny: 2", "a/f", "b/f") ==
        "--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n-x: 1\n\\ No newline at end of file\n+x: 1\n+y: 2\n"
        "\\ No newline at end of file\n");
}

TEST_CASE("text diff: a carriage return before the line break is not shown") {
  CHECK(unified_diff("a: 1\r\n", "a: 2\r\n", "a/f", "b/f") ==
        "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a: 1\n+a: 2\n");
}

TEST_CASE("text diff: colour marks removed and added lines when asked") {
  std::string coloured = unified_diff("a\n", "b\n", "a/f", "b/f", Color::kYes);
  CHECK(coloured.find("\x1b[") != std::string::npos);
  CHECK(coloured.find("-a") != std::string::npos);
  CHECK(unified_diff("a\n", "b\n", "a/f", "b/f").find("\x1b[") == std::string::npos);
}

}  // namespace run::render
