#include <doctest/doctest.h>

#include "config/config_loader.h"
#include "config/dotenv.h"
#include "config/dotenv_escapes.h"
#include "test_support.h"

// The expected values here come from compose-go's own dotenv tests (parser_test.go,
// godotenv_test.go, godotenv_var_expansion_test.go), so run reads a file as compose does.

namespace run::config {

namespace {

VariableMap parsed(std::string_view text, const VariableMap& environment = {}) {
  Result<VariableMap> variables = parse_dotenv(text, ".env", environment);
  if (!variables) FAIL("unexpected errors:\n" << test::formatted(variables.errors()));
  return std::move(variables).value();
}

std::string value_of(std::string_view text, const std::string& name) {
  VariableMap variables = parsed(text);
  auto found = variables.find(name);
  if (found == variables.end()) FAIL(name << " is not defined by: " << text);
  return found->second;
}

std::string errors_of(std::string_view text, const VariableMap& environment = {}) {
  Result<VariableMap> variables = parse_dotenv(text, ".env", environment);
  if (variables) FAIL("expected an error for: " << text);
  return test::formatted(variables.errors());
}

}  // namespace

TEST_CASE("dotenv: KEY=VALUE lines, blank lines and # comments") {
  VariableMap variables =
      parsed("# a comment\n\nA=1\n  B = two  \n   # indented comment\nC=\n\t\t \n");
  CHECK(variables == VariableMap{{"A", "1"}, {"B", "two"}, {"C", ""}});
}

TEST_CASE("dotenv: a UTF-8 byte-order mark at the start is skipped") {
  CHECK(parsed("\xEF\xBB\xBFOPTION_A=1\nOPTION_B=2\n") ==
        VariableMap{{"OPTION_A", "1"}, {"OPTION_B", "2"}});
  CHECK(errors_of("\xEF\xBB\xBF"
                  "A B=1\n") ==
        ".env:1:1: error: the variable name 'A B' holds a space\n"
        "  hint: a line is KEY=VALUE; a name holds letters, digits, '_', '.', '-', '[' and ']'\n");
}

TEST_CASE("dotenv: export followed by any blanks is ignored; a name may start with export") {
  CHECK(value_of("export OPTION_A=2", "OPTION_A") == "2");
  CHECK(value_of("export\tOPTION_A=2", "OPTION_A") == "2");
  CHECK(value_of("  export   OPTION_A=2", "OPTION_A") == "2");
  CHECK(value_of("\texport OPTION_A=2", "OPTION_A") == "2");
  CHECK(value_of("export OPTION_A=\"export A\"", "OPTION_A") == "export A");
  CHECK(value_of("export exportFoo=2", "exportFoo") == "2");
  CHECK(value_of("exportFOO=2", "exportFOO") == "2");
  CHECK(value_of("export_FOO =2", "export_FOO") == "2");
  CHECK(value_of("export.FOO= 2", "export.FOO") == "2");
}

TEST_CASE("dotenv: names hold letters and digits of any script, '_', '.', '-', '[' and ']'") {
  VariableMap variables = parsed(
      "a=b\na[1]=c\na.propertyKey=d\n"
      "\xC3\xA1rv\xC3\xADzt\xC5\xB1r\xC5\x91-T\xC3\x9CK\xC3\x96RF\xC3\x9AR\xC3\x93G\xC3\x89P="
      "\xC3\x81RV\xC3\x8DZT\xC5\xB0R\xC5\x90-t\xC3\xBCk\xC3\xB6rf\xC3\xBAr\xC3\xB3g\xC3\xA9p\n"
      "VAR-WITH-DASHES=dashes\nVAR.WITH.DOTS=dots\n1ST=first\n");
  CHECK(variables["a"] == "b");
  CHECK(variables["a[1]"] == "c");
  CHECK(variables["a.propertyKey"] == "d");
  CHECK(variables["\xC3\xA1rv\xC3\xADzt\xC5\xB1r\xC5\x91-T\xC3\x9CK\xC3\x96RF\xC3\x9AR\xC3\x93G"
                  "\xC3\x89P"] ==
        "\xC3\x81RV\xC3\x8DZT\xC5\xB0R\xC5\x90-t\xC3\xBCk\xC3\xB6rf\xC3\xBAr\xC3\xB3g\xC3\xA9p");
  CHECK(variables["VAR-WITH-DASHES"] == "dashes");
  CHECK(variables["VAR.WITH.DOTS"] == "dots");
  CHECK(variables["1ST"] == "first");
}

TEST_CASE("dotenv: NAME: VALUE (YAML style) as well as NAME=VALUE, blanks around either") {
  CHECK(value_of("OPTION_A: 1", "OPTION_A") == "1");
  CHECK(value_of("OPTION_A: Foo=bar", "OPTION_A") == "Foo=bar");
  CHECK(value_of("OPTION_A=1:B", "OPTION_A") == "1:B");
  CHECK(value_of("FOO =bar", "FOO") == "bar");
  CHECK(value_of("FOO= bar", "FOO") == "bar");
  CHECK(value_of(" KEY =value", "KEY") == "value");
  CHECK(value_of("FOO=foobar=", "FOO") == "foobar=");
  CHECK(value_of("OPTION_A=postgres://localhost:5432/database?sslmode=disable", "OPTION_A") ==
        "postgres://localhost:5432/database?sslmode=disable");
}

TEST_CASE("dotenv: a bare value is trimmed, ' #' starts a comment, backslashes stay") {
  CHECK(value_of("FOO=bar ", "FOO") == "bar");
  CHECK(value_of("FOO=bar # this is foo", "FOO") == "bar");
  CHECK(value_of("FOO=bar #this is foo", "FOO") == "bar");
  CHECK(value_of("FOO=bar #", "FOO") == "bar");
  CHECK(value_of("FOO=123#not-an-inline-comment", "FOO") == "123#not-an-inline-comment");
  CHECK(value_of("FOO=bar\t#tab", "FOO") == "bar\t#tab");
  CHECK(value_of("FOO= #right after the blanks", "FOO") == "#right after the blanks");
  CHECK(value_of("FOO=a\\tb", "FOO") == "a\\tb");
  CHECK(parsed("A=1\r\nA=2\r\n") == VariableMap{{"A", "2"}});
}

TEST_CASE("dotenv: single quotes are literal, \\' is a quote, and they may span lines") {
  CHECK(value_of("OPTION_D='\\n'", "OPTION_D") == "\\n");
  CHECK(value_of("OPTION_K='Let\\'s go!'", "OPTION_K") == "Let's go!");
  CHECK(value_of("A='$HOME ${X} #x'", "A") == "$HOME ${X} #x");
  CHECK(value_of("FOO='bar#baz' # comment", "FOO") == "bar#baz");
  CHECK(value_of("OPTION_J = 'first line\nsecond line\nthird line\nand so on'", "OPTION_J") ==
        "first line\nsecond line\nthird line\nand so on");
}

TEST_CASE("dotenv: double quotes read compose's shell escapes and keep the rest as written") {
  CHECK(value_of("KEY=\"Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z\"", "KEY") ==
        "Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ");
  CHECK(value_of("FOO=\"bar\\n\\ b\\az\"", "FOO") == "bar\n\\ b\az");
  CHECK(value_of("FOO=\"bar\\\\\\n\\ b\\az\"", "FOO") == "bar\\\n\\ b\az");
  CHECK(value_of("FOO=\"bar\\\\r\\ b\\az\"", "FOO") == "bar\\r\\ b\az");
  CHECK(value_of("FOO=\"bar\\nbaz\\\\\"", "FOO") == "bar\nbaz\\");
  CHECK(value_of("FOO=\"escaped\\\"bar\"", "FOO") == "escaped\"bar");
  CHECK(value_of("FOO=\"'d'\"", "FOO") == "'d'");
  CHECK(value_of("KEY=\"\\x07 \\u12e4 \\U00101234\"", "KEY") == "\\x07 \\u12e4 \\U00101234");
  CHECK(value_of("FOO=\"bar#baz\" # comment", "FOO") == "bar#baz");
  CHECK(value_of("FOO=\"bar#baz\"#", "FOO") == "bar#baz");
}

TEST_CASE("dotenv: \\0 takes three octal digits up to 0377, else it stays as written") {
  auto escaped = [](std::string_view text) {
    return expand_dotenv_escapes(text, EscapedDollar::kSingle);
  };
  CHECK(escaped("\\0101") == "A");
  CHECK(escaped("\\01234") == "S4");
  CHECK(escaped("\\0351") == "\xC3\xA9");  // U+00E9, in UTF-8 as compose writes it
  CHECK(escaped("\\0") == "\\0");
  CHECK(escaped("\\012") == "\\012");
  CHECK(escaped("\\0089") == "\\0089");
  CHECK(escaped("\\0777") == "\\0777");
  CHECK(escaped("a\\$b") == "a$b");
  CHECK(expand_dotenv_escapes("a\\$b", EscapedDollar::kDoubled) == "a$$b");
  CHECK(escaped("trailing\\") == "trailing\\");
}

TEST_CASE("dotenv: a double-quoted value may span lines, and lines are counted past it") {
  CHECK(value_of("TEST_URLS=\"stratum+tcp://a:3333\nstratum+tcp://a:443\"", "TEST_URLS") ==
        "stratum+tcp://a:3333\nstratum+tcp://a:443");
  CHECK(errors_of("foo=\"\n  a\n  multine\n  value\n\"\nINVALID LINE\nzot=qix\n") ==
        ".env:6:1: error: the variable name 'INVALID LINE' holds a space\n"
        "  hint: a line is KEY=VALUE; a name holds letters, digits, '_', '.', '-', '[' and ']'\n");
}

TEST_CASE("dotenv: after a closing quote the line goes on with the next statement, as in compose") {
  CHECK(parsed("A=\"1\" B='2' C=3\n") == VariableMap{{"A", "1"}, {"B", "2"}, {"C", "3"}});
}

TEST_CASE("dotenv: references expand in bare and double-quoted values, not single-quoted") {
  CHECK(parsed("FOO=test\nBAR=$FOO\n")["BAR"] == "test");
  CHECK(parsed("FOO=test\nBAR=${FOO}bar\n")["BAR"] == "testbar");
  CHECK(parsed("FOO=test\nBAR=\"quote $FOO\"\n")["BAR"] == "quote test");
  CHECK(parsed("BAR='quote $FOO'\n")["BAR"] == "quote $FOO");
  CHECK(parsed("FOO=\"foo\\$BAR\"\n")["FOO"] == "foo$BAR");
  CHECK(parsed("FOO=\"foo\\${BAR}\"\n")["FOO"] == "foo${BAR}");
  CHECK(parsed("FOO=test\nBAR=\"foo\\${FOO} ${FOO}\"\n")["BAR"] == "foo${FOO} test");
  CHECK(parsed("PASSWORD=pa$$word\n")["PASSWORD"] == "pa$word");
  CHECK(parsed("A=${UNSET:-Default Value}\nB=${EMPTY-x}\nEMPTY=\nC=${EMPTY-x}|${EMPTY:-y}\n") ==
        VariableMap{{"A", "Default Value"}, {"B", "x"}, {"C", "|y"}, {"EMPTY", ""}});
}

TEST_CASE("dotenv: a reference looks in the process environment first, then the lines above") {
  VariableMap environment{{"OPTION_A", "5"}};
  VariableMap variables = parsed(
      "OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\n",
      environment);
  CHECK(variables ==
        VariableMap{{"OPTION_A", "1"}, {"OPTION_B", "5"}, {"OPTION_C", "5"}, {"OPTION_D", "5_5"}});
  CHECK(parsed("A=${LATER:-early}\nLATER=1\n")["A"] == "early");
}

TEST_CASE("dotenv: a name alone takes its value from the environment, if set there") {
  VariableMap variables = parsed("VAR_FROM_OS\nNOT_FOUND\nfoo=bar\n", {{"VAR_FROM_OS", "v"}});
  CHECK(variables == VariableMap{{"VAR_FROM_OS", "v"}, {"foo", "bar"}});
  CHECK(parsed("export\nLAST") == VariableMap{});
}

TEST_CASE("dotenv: an unset reference is an error at its line, unlike compose's empty string") {
  CHECK(errors_of("A=1\nB=x${TAG}\n") ==
        ".env:2:3: error: variable TAG is not set\n"
        "  hint: export it, add it to .env, or give a default: ${TAG:-value}\n");
}

TEST_CASE("dotenv: the message of ${VAR:?message} is interpolated") {
  CHECK(errors_of("ENV_NAME=staging\nA=\"${A_SOURCE:?set A_SOURCE for ${ENV_NAME}}\"\n") ==
        ".env:2:3: error: variable A_SOURCE is not set: set A_SOURCE for staging\n");
  CHECK(errors_of("A=${EMPTY?needed in $WHERE}\n", {{"WHERE", "ci"}}) ==
        ".env:1:3: error: variable EMPTY is not set: needed in ci\n");
  CHECK(parsed("EMPTY=\nA=${EMPTY?needed}\n")["A"] == "");
}

TEST_CASE("dotenv: a .env value cannot refer to a secret") {
  CHECK(errors_of("A=${secret:PW}\n") ==
        ".env:1:3: error: a .env value cannot refer to a secret\n"
        "  hint: write ${secret:PW} in run-config.yaml instead\n");
}

TEST_CASE("dotenv: a character a name cannot hold is an error at its column") {
  CHECK(errors_of("lol$wut") ==
        ".env:1:4: error: unexpected '$' in a variable name\n"
        "  hint: a line is KEY=VALUE; a name holds letters, digits, '_', '.', '-', '[' and ']'\n");
  CHECK(errors_of("%!(EXTRA string)=foo")
            .starts_with(".env:1:1: error: unexpected '%' in a variable name\n"));
  CHECK(
      errors_of("A\xFF=1").starts_with(".env:1:2: error: unexpected byte 0xFF in a variable name"));
  CHECK(errors_of(std::string_view("AB\0=1", 5))
            .starts_with(".env:1:3: error: unexpected byte 0x00 in a variable name"));
  CHECK(errors_of("PRICE\xE2\x82\xAC=1").starts_with(".env:1:6: error: unexpected '\xE2\x82\xAC'"));
}

TEST_CASE("dotenv: a line with no name before '=' is an error (compose reads the name \"\")") {
  CHECK(errors_of("=\"value\"\n")
            .starts_with(".env:1:1: error: expected a variable name before '='\n"));
  CHECK(
      errors_of(": value\n").starts_with(".env:1:1: error: expected a variable name before ':'\n"));
}

TEST_CASE("dotenv: an unterminated quote is an error where the value starts") {
  for (std::string_view value :
       {"\"", "\"value", "\"value\\\"", "\"value'", "'", "'value", "'value\\'", "'value\""}) {
    std::string text = "A=1\nKEY= " + std::string(value) + "\nB=2\n";
    std::string errors = errors_of(text);
    CAPTURE(text);
    CHECK(errors.starts_with(".env:2:6: error: the quoted value of KEY is not closed\n"));
  }
}

TEST_CASE("dotenv: every malformed line is reported") {
  Result<VariableMap> variables =
      parse_dotenv("=1\nA B=2\nOK=3\nC=$UNSET\nD=ok\nQ=\"open\n", ".env", {});
  REQUIRE_FALSE(variables.ok());
  REQUIRE(variables.errors().size() == 4);
  CHECK(variables.errors()[0].location.line == 1);
  CHECK(variables.errors()[1].location.line == 2);
  CHECK(variables.errors()[2].location.line == 4);
  CHECK(variables.errors()[3].location.line == 6);
}

TEST_CASE("dotenv: the literal reading keeps every '$', and \\$ is a '$'") {
  Result<VariableMap> variables =
      parse_dotenv_literal("PW=pa$$word\nQ=\"a\\$b ${X}\"\nR='$R'\nALONE\n", "secrets.env");
  REQUIRE(variables.ok());
  CHECK(*variables == VariableMap{{"PW", "pa$$word"}, {"Q", "a$b ${X}"}, {"R", "$R"}});
}

TEST_CASE("dotenv: a malformed .env stops load_config with its line") {
  MemorySource files = test::files_with(test::kMinimalConfig);
  files.add(".env", "GOOD=1\nBAD LINE\n");
  Result<LoadedConfig> loaded = load_config(files, test::request_for("dev"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(test::formatted(loaded.errors()) ==
        ".env:2:1: error: the variable name 'BAD LINE' holds a space\n"
        "  hint: a line is KEY=VALUE; a name holds letters, digits, '_', '.', '-', '[' and ']'\n");
}

TEST_CASE("dotenv: load_config expands .env from the process environment; secrets keep '$'") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: p\nservices:\n  web:\n    image: nginx:${TAG}\n"
      "    env:\n      URL: ${URL}\n      PW: ${secret:PW}\nenvironments:\n  dev: {}\n");
  files.add(".env", "HOST=localhost\nURL=\"http://${HOST}:${PORT:-80}\"\nTAG=1.0\n");
  files.add(".run/secrets/dev.env", "PW=pa$$w${0}rd\n");
  LoadRequest request = test::request_for("dev");
  request.process_environment = {{"HOST", "example.org"}};
  Result<LoadedConfig> loaded = load_config(files, request);
  REQUIRE(loaded.ok());
  const model::Node* env = loaded->merged.find("services")->find("web")->find("env");
  CHECK(env->find("URL")->text == "http://example.org:80");
  CHECK(env->find("PW")->text == "pa$$w${0}rd");
}

}  // namespace run::config
