// environments.NAME.engine in run-config.yaml: typed into the desired state, and the checks a
// schema cannot make (a host or a context, TLS with a tcp:// host only), each with its line.
#include <doctest/doctest.h>

#include "config/desired_state_builder.h"
#include "test_support.h"

namespace run::config {

namespace {

std::string config_with_engine(const std::string& engine) {
  return "version: \"2\"\n"
         "project: demo\n"
         "services:\n"
         "  web: { image: w }\n"
         "environments:\n"
         "  dev: {}\n"
         "  prod:\n"
         "    engine: " +
         engine + "\n";
}

std::string validate_engine(const std::string& engine) {
  return test::validate_text(test::files_with(config_with_engine(engine)));
}

}  // namespace

TEST_CASE("engine config: a host with TLS files is typed into prod's desired state only") {
  auto files = test::files_with(
      config_with_engine("{ host: \"tcp://10.0.0.5:2376\", tls: { ca: c/ca.pem, cert: c/cert.pem, "
                         "key: c/key.pem } }"));
  model::DesiredState prod = build_desired_state(test::load_ok(files, test::request_for("prod")));
  REQUIRE(prod.engine);
  CHECK(*prod.engine == model::EngineSpec{"tcp://10.0.0.5:2376",
                                          model::EngineTls{"c/ca.pem", "c/cert.pem", "c/key.pem"},
                                          ""});
  CHECK_FALSE(build_desired_state(test::load_ok(files, test::request_for("dev"))).engine);
}

TEST_CASE("engine config: a context by name") {
  auto files = test::files_with(config_with_engine("{ context: staging-box }"));
  model::DesiredState prod = build_desired_state(test::load_ok(files, test::request_for("prod")));
  REQUIRE(prod.engine);
  CHECK(prod.engine->context == "staging-box");
  CHECK(prod.engine->host.empty());
}

TEST_CASE("engine config: both a host and a context") {
  CHECK(validate_engine("{ host: \"tcp://h:2375\", context: x }") ==
        "run-config.yaml:8:46: error: environment 'prod' names both an engine host and a context "
        "(at environments.prod.engine.context)\n"
        "  hint: keep one: host: tcp://10.0.0.5:2376 (with tls:) or context: NAME\n");
}

TEST_CASE("engine config: neither a host nor a context") {
  CHECK(validate_engine("{}") ==
        "run-config.yaml:8:13: error: environment 'prod' has an engine with neither host nor "
        "context (at environments.prod.engine)\n"
        "  hint: name one: host: tcp://10.0.0.5:2376, host: ssh://deploy@host or context: NAME\n");
}

TEST_CASE("engine config: TLS for a unix socket") {
  CHECK(validate_engine("{ host: \"unix:///run/d.sock\", tls: { ca: a, cert: b, key: c } }") ==
        "run-config.yaml:8:48: error: tls: applies to a tcp:// engine host only (at "
        "environments.prod.engine.tls)\n"
        "  hint: write host: tcp://HOST:2376, or remove tls:\n");
}

TEST_CASE("engine config: a host that is no URL run speaks fails the schema with its line") {
  std::string text = validate_engine("{ host: \"npipe:////./pipe/docker\" }");
  CHECK(text.find("run-config.yaml:8:") == 0);
  CHECK(text.find("environments.prod.engine.host") != std::string::npos);
}

}  // namespace run::config
