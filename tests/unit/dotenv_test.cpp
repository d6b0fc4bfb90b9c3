#include <doctest/doctest.h>

#include "config/dotenv.h"
#include "test_support.h"

namespace run::config {

namespace {

VariableMap parsed(std::string_view text) {
  Result<VariableMap> variables = parse_dotenv(text, ".env");
  if (!variables) FAIL("unexpected errors:\n" << test::formatted(variables.errors()));
  return std::move(variables).value();
}

}  // namespace

TEST_CASE("dotenv: KEY=VALUE lines, blank lines and # comments") {
  VariableMap variables = parsed("# a comment\n\nA=1\n  B = two  \n   # indented comment\nC=\n");
  CHECK(variables == VariableMap{{"A", "1"}, {"B", "two"}, {"C", ""}});
}

TEST_CASE("dotenv: an export prefix is ignored") {
  CHECK(parsed("export TAG=1.4.2\n") == VariableMap{{"TAG", "1.4.2"}});
}

TEST_CASE("dotenv: double quotes keep spaces and read escapes") {
  VariableMap variables = parsed(
      "A=\"  two words  \"\nB=\"line\\nnext\\ttab \\\"q\\\" \\\\\"\nC=\"# not a comment\"\n");
  CHECK(variables["A"] == "  two words  ");
  CHECK(variables["B"] == "line\nnext\ttab \"q\" \\");
  CHECK(variables["C"] == "# not a comment");
}

TEST_CASE("dotenv: single quotes are literal") {
  CHECK(parsed("A='$HOME \\n #x'\n")["A"] == "$HOME \\n #x");
}

TEST_CASE("dotenv: a bare value ends at ' #', a '#' inside a word stays") {
  VariableMap variables = parsed("A=value # comment\nB=a#b\n");
  CHECK(variables["A"] == "value");
  CHECK(variables["B"] == "a#b");
}

TEST_CASE("dotenv: a later line wins, and Windows line ends are trimmed") {
  CHECK(parsed("A=1\r\nA=2\r\n") == VariableMap{{"A", "2"}});
}

TEST_CASE("dotenv: a malformed line is an error naming the file and line") {
  Result<VariableMap> variables = parse_dotenv("A=1\n\nthis is not a pair\n", "project/.env");
  REQUIRE_FALSE(variables.ok());
  CHECK(test::formatted(variables.errors()) ==
        "project/.env:3:1: error: expected KEY=VALUE\n"
        "  hint: a name starts with a letter or '_'\n");
}

TEST_CASE("dotenv: every malformed line is reported") {
  Result<VariableMap> variables = parse_dotenv("=1\n1A=2\nOK=3\nQ=\"open\n", ".env");
  REQUIRE_FALSE(variables.ok());
  REQUIRE(variables.errors().size() == 3);
  CHECK(variables.errors()[0].location.line == 1);
  CHECK(variables.errors()[1].location.line == 2);
  CHECK(format_diagnostic(variables.errors()[2]) ==
        ".env:4:1: error: the quoted value of Q is not closed");
}

TEST_CASE("dotenv: a malformed .env stops load_config with its line") {
  MemorySource files = test::files_with(test::kMinimalConfig);
  files.add(".env", "GOOD=1\nBAD LINE\n");
  Result<LoadedConfig> loaded = load_config(files, test::request_for("dev"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(test::formatted(loaded.errors()) ==
        ".env:2:1: error: expected KEY=VALUE\n"
        "  hint: a name starts with a letter or '_'\n");
}

}  // namespace run::config
