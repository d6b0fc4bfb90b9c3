#include <doctest/doctest.h>

#include "config/explain.h"
#include "render/explanation_render.h"
#include "test_support.h"

namespace run::config {

namespace {

constexpr std::string_view kBase =
    "version: \"2\"\n"                // 1
    "project: demo\n"                 // 2
    "services:\n"                     // 3
    "  app:\n"                        // 4
    "    image: app:${TAG:-1.0}\n"    // 5
    "    ports: [\"8080:80\"]\n"      // 6
    "    env:\n"                      // 7
    "      PASSWORD: ${secret:PW}\n"  // 8
    "  worker:\n"                     // 9
    "    image: w:1\n"                // 10
    "    replicas: 2\n"               // 11
    "environments:\n"
    "  dev: {}\n"
    "  production: {}\n";

constexpr std::string_view kProduction =
    "services:\n"         // 1
    "  worker:\n"         // 2
    "    replicas: 8\n"   // 3
    "  app:\n"            // 4
    "    ports: null\n";  // 5

LoadedConfig production() {
  MemorySource files = test::files_with(kBase);
  files.add("environments/production.yaml", std::string(kProduction));
  LoadRequest request = test::request_for("production");
  request.process_environment = {{"RUN_SECRET_PW", "hunter2"}};
  return test::load_ok(files, request);
}

}  // namespace

TEST_CASE("explain: the chain goes from the base to the overlay, each with file:line") {
  Result<model::Explanation> explanation = explain_value(production(), "services.worker.replicas");
  REQUIRE(explanation);
  CHECK(explanation->environment == "production");
  REQUIRE(explanation->chain.size() == 2);
  CHECK(explanation->chain[0].file == "run-config.yaml");
  CHECK(explanation->chain[0].value.text == "2");
  CHECK(explanation->chain[0].value.location.to_string() == "run-config.yaml:11:15");
  CHECK(explanation->chain[1].file == "environments/production.yaml");
  CHECK(explanation->chain[1].effect == model::LayerEffect::kSets);
  CHECK(explanation->chain[1].value.location.to_string() == "environments/production.yaml:3:15");
  REQUIRE(explanation->final_value);
  CHECK(explanation->final_value->text == "8");
  CHECK(render::explanation_text(*explanation) ==
        "services.worker.replicas (environment production) = 8\n"
        "\n"
        "  run-config.yaml:11:15              2   (overridden)\n"
        "  environments/production.yaml:3:15  8\n");
}

TEST_CASE("explain: a value only the base sets has a chain of one") {
  Result<model::Explanation> explanation = explain_value(production(), "services.worker.image");
  REQUIRE(explanation);
  REQUIRE(explanation->chain.size() == 1);
  CHECK(explanation->chain[0].file == "run-config.yaml");
  CHECK(render::explanation_text(*explanation) ==
        "services.worker.image (environment production) = w:1\n"
        "\n"
        "  run-config.yaml:10:12  w:1\n");
}

TEST_CASE("explain: an explicit null in an overlay shows as a removal") {
  Result<model::Explanation> explanation = explain_value(production(), "services.app.ports");
  REQUIRE(explanation);
  REQUIRE(explanation->chain.size() == 2);
  CHECK(explanation->chain[1].effect == model::LayerEffect::kRemoves);
  CHECK(explanation->chain[1].file == "environments/production.yaml");
  CHECK_FALSE(explanation->final_value.has_value());
  CHECK(render::explanation_text(*explanation) ==
        "services.app.ports (environment production) = (not set)\n"
        "\n"
        "  run-config.yaml:6:12               [\"8080:80\"]   (overridden)\n"
        "  environments/production.yaml:5:12  null (removes it)\n");
}

TEST_CASE("explain: removing a parent removes the value below it") {
  Result<model::Explanation> explanation = explain_value(production(), "services.app.ports[0]");
  REQUIRE(explanation);
  REQUIRE(explanation->chain.size() == 2);
  CHECK(explanation->path == "services.app.ports[0]");
  CHECK(explanation->chain[0].value.text == "8080:80");
  CHECK(explanation->chain[1].effect == model::LayerEffect::kRemoves);
}

TEST_CASE("explain: interpolation shows as a last line") {
  Result<model::Explanation> explanation = explain_value(production(), "services.app.image");
  REQUIRE(explanation);
  CHECK(render::explanation_text(*explanation) ==
        "services.app.image (environment production) = app:1.0\n"
        "\n"
        "  run-config.yaml:5:12  app:${TAG:-1.0}\n"
        "  after interpolation   app:1.0\n");
}

TEST_CASE("explain: a secret's value is never shown") {
  Result<model::Explanation> explanation = explain_value(production(), "services.app.env.PASSWORD");
  REQUIRE(explanation);
  std::string text = render::explanation_text(*explanation);
  std::string json = render::explanation_json(*explanation);
  CHECK(text.find("hunter2") == std::string::npos);
  CHECK(json.find("hunter2") == std::string::npos);
  CHECK(text.find("(sensitive)") != std::string::npos);
}

TEST_CASE("explain: JSON carries the path, value and chain") {
  Result<model::Explanation> explanation = explain_value(production(), "services.worker.replicas");
  REQUIRE(explanation);
  CHECK(render::explanation_json(*explanation) ==
        "{\n"
        "  \"path\": \"services.worker.replicas\",\n"
        "  \"environment\": \"production\",\n"
        "  \"value\": 8,\n"
        "  \"set\": true,\n"
        "  \"chain\": [\n"
        "    {\"file\": \"run-config.yaml\", \"line\": 11, \"column\": 15, \"effect\": \"set\", "
        "\"value\": 2},\n"
        "    {\"file\": \"environments/production.yaml\", \"line\": 3, \"column\": 15, \"effect\": "
        "\"set\", \"value\": 8}\n"
        "  ]\n"
        "}\n");
}

TEST_CASE("explain: an unknown path is an error with a suggestion") {
  Result<model::Explanation> explanation = explain_value(production(), "services.worker.replicaz");
  REQUIRE_FALSE(explanation.ok());
  CHECK(test::formatted(explanation.errors()) ==
        "error: no file of environment 'production' sets services.worker.replicaz (at "
        "services.worker.replicaz)\n"
        "  hint: did you mean 'replicas'?\n");
}

TEST_CASE("explain: an unknown service is an error with a suggestion") {
  Result<model::Explanation> explanation = explain_value(production(), "services.wroker.replicas");
  REQUIRE_FALSE(explanation.ok());
  CHECK(explanation.errors().front().hint == "did you mean 'worker'?");
}

TEST_CASE("explain: a malformed path is an error") {
  for (const char* path : {"", "services..app", "services.", ".services", "ports[x]", "ports[0"}) {
    CAPTURE(path);
    Result<model::Explanation> explanation = explain_value(production(), path);
    REQUIRE_FALSE(explanation.ok());
    CHECK(explanation.errors().front().message == "invalid path '" + std::string(path) + "'");
  }
}

}  // namespace run::config
