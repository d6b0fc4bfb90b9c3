#include <doctest/doctest.h>

#include "config/config_loader.h"
#include "config/extensions.h"
#include "test_support.h"

namespace run::config {

TEST_CASE(
    "extensions: x- keys go at the top level and inside a service, network, volume or "
    "environment") {
  model::Node root = test::parse_ok(
      "x-defaults: &d {init: true}\n"
      "services:\n"
      "  app: {x-note: hi, image: a, labels: {x-team: core}, env: {x-trace: '1'}}\n"
      "networks: {back: {x-owner: me}}\n"
      "volumes: {data: {x-size: 1}}\n"
      "environments: {dev: {x-tier: low}}\n");
  strip_extensions(root);
  CHECK(root.find("x-defaults") == nullptr);
  const model::Node* app = root.find("services")->find("app");
  CHECK(app->find("x-note") == nullptr);
  CHECK(app->find("labels")->find("x-team") != nullptr);
  CHECK(app->find("env")->find("x-trace") != nullptr);
  CHECK(root.find("networks")->find("back")->find("x-owner") == nullptr);
  CHECK(root.find("volumes")->find("data")->find("x-size") == nullptr);
  CHECK(root.find("environments")->find("dev")->find("x-tier") == nullptr);
}

TEST_CASE("extensions: an x- key where the schema fixes the keys is an unknown key") {
  MemorySource files(std::map<std::string, std::string>{
      {"run-config.yaml",
       "version: \"2\"\nproject: p\nservices:\n  app:\n    image: a\n    resources: {x-burst: 2}\n"
       "environments: {dev: {}}\n"}});
  Diagnostics errors = validate_config(files, LoadRequest{});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "unknown key 'x-burst'");
}

TEST_CASE("extensions: a ${VAR} inside an x- block that nothing uses is not an error") {
  MemorySource files(
      std::map<std::string, std::string>{{"run-config.yaml",
                                          "version: \"2\"\nproject: p\nx-unused: {note: "
                                          "\"${NOT_SET}\"}\nservices:\n  app: {image: a}\n"
                                          "environments: {dev: {}}\n"}});
  CHECK(validate_config(files, LoadRequest{}).empty());
}

}  // namespace run::config
