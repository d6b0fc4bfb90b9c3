#include <doctest/doctest.h>

#include "config/interpolate.h"
#include "test_support.h"

namespace run::config {

using model::Node;
using model::NodeKind;

namespace {

InterpolationScope scope_with(VariableMap variables, VariableMap secrets = {}) {
  InterpolationScope scope;
  scope.variables = std::move(variables);
  scope.secrets = std::move(secrets);
  scope.secrets_file = ".run/secrets/dev.env";
  return scope;
}

const InterpolationScope& sample_scope() {
  static const InterpolationScope scope = scope_with({{"SET", "value"}, {"EMPTY", ""}, {"N", "4"}});
  return scope;
}

std::string expanded(std::string_view text, const InterpolationScope& scope = sample_scope()) {
  Result<Interpolated> result = interpolate_text(text, scope);
  if (!result) FAIL("unexpected error: " << format_diagnostic(result.errors().front()));
  return result->text;
}

Diagnostic error_of(std::string_view text, const InterpolationScope& scope = sample_scope()) {
  Result<Interpolated> result = interpolate_text(text, scope);
  if (result) FAIL("expected an error for " << text << ", got '" << result->text << "'");
  REQUIRE(result.errors().size() == 1);
  return result.errors().front();
}

}  // namespace

TEST_CASE("interpolate: text without references is unchanged") {
  CHECK(expanded("plain text: 1, 2") == "plain text: 1, 2");
  CHECK(expanded("") == "");
}

TEST_CASE("interpolate: ${VAR} and $VAR are replaced by the variable") {
  CHECK(expanded("${SET}") == "value");
  CHECK(expanded("a-${SET}-b") == "a-value-b");
  CHECK(expanded("$SET") == "value");
  CHECK(expanded("$SET.txt") == "value.txt");
  CHECK(expanded("${EMPTY}") == "");
}

TEST_CASE("interpolate: $$ is a literal dollar") {
  CHECK(expanded("$$") == "$");
  CHECK(expanded("echo $$HOME") == "echo $HOME");
  CHECK(expanded("$${SET}") == "${SET}");
  CHECK(expanded("cost: 5$") == "cost: 5$");  // a lone '$' stays
}

TEST_CASE("interpolate: ${VAR:-default} applies when the variable is unset or empty") {
  CHECK(expanded("${UNSET:-d}") == "d");
  CHECK(expanded("${EMPTY:-d}") == "d");
  CHECK(expanded("${SET:-d}") == "value");
  CHECK(expanded("${UNSET:-}") == "");
}

TEST_CASE("interpolate: ${VAR-default} applies only when the variable is unset") {
  CHECK(expanded("${UNSET-d}") == "d");
  CHECK(expanded("${EMPTY-d}") == "");
  CHECK(expanded("${SET-d}") == "value");
}

TEST_CASE("interpolate: ${VAR:?message} is an error when unset or empty") {
  CHECK(expanded("${SET:?needed}") == "value");
  CHECK(error_of("${UNSET:?set it first}").message == "variable UNSET is not set: set it first");
  CHECK(error_of("${EMPTY:?set it first}").message == "variable EMPTY is empty: set it first");
  CHECK(error_of("${UNSET:?}").message == "variable UNSET is not set: is required");
}

TEST_CASE("interpolate: the message of ${VAR:?message} and ${VAR?message} is interpolated") {
  InterpolationScope scope = scope_with({{"ENV_NAME", "staging"}}, {{"PW", "hunter2"}});
  CHECK(error_of("${A:?set A for ${ENV_NAME}}", scope).message ==
        "variable A is not set: set A for staging");
  CHECK(error_of("${A?set A for $ENV_NAME, or ${B:-b}}", scope).message ==
        "variable A is not set: set A for staging, or b");
  CHECK(error_of("${A:?costs $$5}", scope).message == "variable A is not set: costs $5");
  // A message that cannot be interpolated is shown as written; a secret is never shown.
  CHECK(error_of("${A:?set A for ${UNSET}}", scope).message ==
        "variable A is not set: set A for ${UNSET}");
  CHECK(error_of("${A:?not ${secret:PW}}", scope).message == "variable A is not set: (sensitive)");
}

TEST_CASE("interpolate: ${VAR?message} is an error only when unset") {
  CHECK(expanded("${EMPTY?needed}") == "");
  CHECK(expanded("${SET?needed}") == "value");
  CHECK(error_of("${UNSET?needed}").message == "variable UNSET is not set: needed");
}

TEST_CASE("interpolate: ${VAR:+alt} gives alt when set and not empty") {
  CHECK(expanded("${SET:+alt}") == "alt");
  CHECK(expanded("${EMPTY:+alt}") == "");
  CHECK(expanded("${UNSET:+alt}") == "");
}

TEST_CASE("interpolate: ${VAR+alt} gives alt when set, even empty") {
  CHECK(expanded("${SET+alt}") == "alt");
  CHECK(expanded("${EMPTY+alt}") == "alt");
  CHECK(expanded("${UNSET+alt}") == "");
}

TEST_CASE("interpolate: defaults may nest references") {
  CHECK(expanded("${UNSET:-${SET}}") == "value");
  CHECK(expanded("${UNSET:-${ALSO_UNSET:-deep}}") == "deep");
  CHECK(expanded("${UNSET:-pre-${N}-post}") == "pre-4-post");
  CHECK(expanded("${SET:+[${N}]}") == "[4]");
  CHECK(error_of("${UNSET:-${ALSO_UNSET}}").message == "variable ALSO_UNSET is not set");
}

TEST_CASE("interpolate: an unset ${VAR} without a default is an error with a hint") {
  Diagnostic error = error_of("image: ${APP_VERSION}");
  CHECK(error.message == "variable APP_VERSION is not set");
  CHECK(error.hint == "export it, add it to .env, or give a default: ${APP_VERSION:-value}");
  CHECK(error_of("$UNSET").message == "variable UNSET is not set");
}

TEST_CASE("interpolate: an unterminated ${ is an error") {
  Diagnostic error = error_of("abc ${SET");
  CHECK(error.message == "unterminated '${' at character 5 of the value");
  CHECK(error.hint == "close it with '}', or write '$$' for a literal '$'");
  CHECK(error_of("${").message == "unterminated '${' at character 1 of the value");
  CHECK(error_of("${UNSET:-${SET}").message == "unterminated '${' at character 1 of the value");
}

TEST_CASE("interpolate: a malformed reference is an error") {
  CHECK(error_of("${}").message == "invalid reference '${}'");
  CHECK(error_of("${1X}").message == "invalid reference '${1X}'");
  CHECK(error_of("${SET*x}").message == "invalid reference '${SET*x}'");
}

TEST_CASE("interpolate: references nested past the limit are an error, not a deep recursion") {
  std::string text;
  for (int i = 0; i < 10'000; ++i) text += "${U:-";
  text += "x" + std::string(10'000, '}');
  CHECK(error_of(text).message == "references are nested more than 8 deep");
}

TEST_CASE("interpolate: ${secret:NAME} is the secret's value and marks the text as secret") {
  InterpolationScope scope = scope_with({}, {{"DB_PASSWORD", "hunter2"}});
  Result<Interpolated> result = interpolate_text("postgres://u:${secret:DB_PASSWORD}@db", scope);
  REQUIRE(result);
  CHECK(result->text == "postgres://u:hunter2@db");
  CHECK(result->used_secret);
  CHECK_FALSE(interpolate_text("${SET}", sample_scope())->used_secret);
}

TEST_CASE("interpolate: a missing secret is an error that names where to set it") {
  InterpolationScope scope = scope_with({});
  Diagnostic error = error_of("${secret:DB_PASSWORD}", scope);
  CHECK(error.message == "secret DB_PASSWORD is not set");
  CHECK(error.hint ==
        "export RUN_SECRET_DB_PASSWORD, or add DB_PASSWORD=... to .run/secrets/dev.env");
  CHECK(error_of("${secret:}", scope).message == "'${secret:}' names no secret");
}

TEST_CASE("interpolate tree: a plain scalar is typed again, a quoted one stays a string") {
  Node root = test::parse_ok("replicas: ${N}\nquoted: \"${N}\"\nflag: ${ON:-yes}\nname: w-${N}\n");
  Diagnostics diagnostics = interpolate_tree(root, sample_scope());
  CHECK(diagnostics.empty());
  CHECK(root.find("replicas")->kind == NodeKind::kInt);
  CHECK(root.find("replicas")->text == "4");
  CHECK(root.find("quoted")->kind == NodeKind::kString);
  CHECK(root.find("quoted")->text == "4");
  CHECK(root.find("flag")->kind == NodeKind::kBool);
  CHECK(root.find("name")->kind == NodeKind::kString);
  CHECK(root.find("name")->text == "w-4");
}

TEST_CASE("interpolate tree: a secret marks the node sensitive and stays a string") {
  Node root = test::parse_ok("pin: ${secret:PIN}\n");
  Diagnostics diagnostics = interpolate_tree(root, scope_with({}, {{"PIN", "1234"}}));
  CHECK(diagnostics.empty());
  const Node* pin = root.find("pin");
  CHECK(pin->sensitive);
  CHECK(pin->kind == NodeKind::kString);
  CHECK(pin->text == "1234");
  CHECK(model::describe_value(*pin) == "(sensitive)");
}

TEST_CASE("interpolate tree: every failing scalar is reported at its own line and column") {
  Node root = test::parse_ok("a: ${ONE}\nlist:\n  - ok\n  - ${TWO:?is needed}\nb: ${open\n",
                             "environments/dev.yaml");
  Diagnostics diagnostics = interpolate_tree(root, sample_scope());
  CHECK(test::formatted(diagnostics) ==
        "environments/dev.yaml:1:4: error: variable ONE is not set\n"
        "  hint: export it, add it to .env, or give a default: ${ONE:-value}\n"
        "environments/dev.yaml:4:5: error: variable TWO is not set: is needed\n"
        "environments/dev.yaml:5:4: error: unterminated '${' at character 1 of the value\n"
        "  hint: close it with '}', or write '$$' for a literal '$'\n");
}

TEST_CASE("interpolate tree: map keys are left as written") {
  Node root = test::parse_ok("${SET}: 1\n");
  CHECK(interpolate_tree(root, sample_scope()).empty());
  CHECK(root.keys() == std::vector<std::string>{"${SET}"});
}

TEST_CASE(
    "interpolate tree: a missing secret under MissingSecret::kWarning is a warning, not an error") {
  InterpolationScope scope = scope_with({});
  scope.missing_secret = MissingSecret::kWarning;
  Node root = test::parse_ok("env:\n  PASSWORD: ${secret:DB_PASSWORD}\n");
  Diagnostics diagnostics = interpolate_tree(root, scope);
  REQUIRE(diagnostics.size() == 1);
  CHECK_FALSE(has_errors(diagnostics));
  CHECK(diagnostics[0].severity == Severity::kWarning);
  CHECK(
      format_diagnostic(diagnostics[0]) ==
      "run-config.yaml:2:13: warning: secret DB_PASSWORD is not set; plan and apply will need it\n"
      "  hint: export RUN_SECRET_DB_PASSWORD, or add DB_PASSWORD=... to .run/secrets/<env>.env");
  const Node* password = model::lookup(root, {"env", "PASSWORD"});
  CHECK(password->sensitive);
  CHECK(password->kind == NodeKind::kString);
}

TEST_CASE("interpolate: load_config reads .env, and the process environment wins over it") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n  app:\n    image: app:${TAG}\n    replicas: "
      "${N}\n"
      "environments:\n  dev: {}\n");
  files.add(".env", "TAG=from-dotenv\nN=2\n");
  LoadRequest request = test::request_for("dev");
  CHECK(test::text_at(test::load_ok(files, request).merged, "services.app.image") ==
        "app:from-dotenv");
  request.process_environment = {{"TAG", "from-process"}};
  LoadedConfig loaded = test::load_ok(files, request);
  CHECK(test::text_at(loaded.merged, "services.app.image") == "app:from-process");
  CHECK(model::lookup(loaded.merged, {"services", "app", "replicas"})->kind == NodeKind::kInt);
}

TEST_CASE(
    "interpolate: load_config reads secrets from RUN_SECRET_ and from .run/secrets/<env>.env") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n  app:\n    image: app:1\n    env:\n"
      "      A: ${secret:A}\n      B: ${secret:B}\nenvironments:\n  dev: {}\n");
  files.add(".run/secrets/dev.env", "A=from-file\nB=from-file\n");
  LoadRequest request = test::request_for("dev");
  request.process_environment = {{"RUN_SECRET_B", "from-env"}};
  LoadedConfig loaded = test::load_ok(files, request);
  CHECK(test::text_at(loaded.merged, "services.app.env.A") == "from-file");
  CHECK(test::text_at(loaded.merged, "services.app.env.B") == "from-env");
  CHECK(model::lookup(loaded.merged, {"services", "app", "env", "B"})->sensitive);
}

TEST_CASE(
    "interpolate: a missing secret's warning is the same for every environment, so it is shown "
    "once") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n  app:\n    image: app:1\n    env:\n"
      "      A: ${secret:A}\nenvironments:\n  dev: {}\n  production: {}\n");
  LoadRequest request = test::request_for("production");
  request.missing_secret = MissingSecret::kWarning;
  LoadedConfig loaded = test::load_ok(files, request);
  REQUIRE(loaded.warnings.size() == 1);
  CHECK(loaded.warnings[0].hint == "export RUN_SECRET_A, or add A=... to .run/secrets/<env>.env");
  CHECK(validate_config(files, request).size() == 1);
  request.environment.reset();
  CHECK(validate_config(files, request).size() == 1);
}

TEST_CASE("interpolate: a text with a secret keeps a reference that gives the value again") {
  InterpolationScope scope = scope_with({{"USER", "app$1"}}, {{"DB_PASSWORD", "s3cr3t"}});
  Result<Interpolated> result =
      interpolate_text("postgres://${USER}:${secret:DB_PASSWORD}@db/$$x", scope);
  REQUIRE(result);
  CHECK(result->text == "postgres://app$1:s3cr3t@db/$x");
  CHECK(result->reference == "postgres://app$$1:${secret:DB_PASSWORD}@db/$$x");
  CHECK(result->reference.find("s3cr3t") == std::string::npos);
  Result<Interpolated> again =
      interpolate_text(result->reference, scope_with({}, {{"DB_PASSWORD", "s3cr3t"}}));
  REQUIRE(again);
  CHECK(again->text == result->text);
}

TEST_CASE("interpolate: a secret inside a default keeps its reference; no secret, no reference") {
  InterpolationScope scope = scope_with({}, {{"TOKEN", "t0k"}});
  Result<Interpolated> result = interpolate_text("${OVERRIDE:-${secret:TOKEN}}", scope);
  REQUIRE(result);
  CHECK(result->text == "t0k");
  CHECK(result->reference == "${secret:TOKEN}");
  CHECK(interpolate_text("${SET}", sample_scope())->reference.empty());
}

}  // namespace run::config
