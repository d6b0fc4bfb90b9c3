#include <doctest/doctest.h>

#include "config/semantic_checks.h"
#include "test_support.h"

// The checks a schema cannot make, each with its golden text as `run validate` prints it.

namespace run::config {

namespace {

/// run-config.yaml with `services_lines` under `services:` (from line 4 on) and `tail` after.
std::string config_with_services(const std::string& services_lines, const std::string& tail = "") {
  return "version: \"2\"\n"
         "project: demo\n"
         "services:\n" +
         services_lines +
         "environments:\n"
         "  dev: {}\n" +
         tail;
}

std::string validate_services(const std::string& services_lines, const std::string& tail = "") {
  return test::validate_text(test::files_with(config_with_services(services_lines, tail)));
}

}  // namespace

TEST_CASE("semantic checks: depends_on naming an unknown service, with a suggestion") {
  CHECK(
      validate_services("  db:\n    image: db\n  app:\n    image: app\n    depends_on: [dbb]\n") ==
      "run-config.yaml:8:18: error: depends on 'dbb', which is not a service (at "
      "services.app.depends_on.dbb)\n"
      "  hint: did you mean 'db'?\n");
}

TEST_CASE("semantic checks: depends_on as a map names the unknown service at its key") {
  CHECK(validate_services("  app:\n    image: app\n    depends_on:\n      cache: healthy\n") ==
        "run-config.yaml:7:7: error: depends on 'cache', which is not a service (at "
        "services.app.depends_on.cache)\n");
}

TEST_CASE("semantic checks: a service that depends on itself") {
  CHECK(validate_services("  app:\n    image: app\n    depends_on: [app]\n") ==
        "run-config.yaml:6:18: error: service 'app' depends on itself (at "
        "services.app.depends_on.app)\n");
}

TEST_CASE("semantic checks: a dependency cycle is reported once, with its path") {
  CHECK(validate_services("  a:\n    image: a\n    depends_on: [b]\n"
                          "  b:\n    image: b\n    depends_on: [c]\n"
                          "  c:\n    image: c\n    depends_on: [a]\n") ==
        "run-config.yaml:12:18: error: dependency cycle: a -> b -> c -> a (at "
        "services.c.depends_on)\n"
        "  hint: remove one of these depends_on entries\n");
}

TEST_CASE("semantic checks: a dependency chain without a cycle is fine") {
  CHECK(validate_services("  a:\n    image: a\n    depends_on: [b, c]\n"
                          "  b:\n    image: b\n    depends_on: [c]\n"
                          "  c:\n    image: c\n") == "");
}

TEST_CASE("semantic checks: a host port published twice") {
  CHECK(validate_services("  app:\n    image: app\n    ports: [\"8080:80\"]\n"
                          "  web:\n    image: web\n    ports: [\"9000:9000\", \"8080:8080\"]\n") ==
        "run-config.yaml:9:26: error: host port 8080/tcp is already published by service 'app' (at "
        "services.web.ports)\n"
        "  hint: at run-config.yaml:6:13; choose another host port\n");
}

TEST_CASE("semantic checks: the same port over tcp and udp is not a clash") {
  CHECK(validate_services("  app:\n    image: app\n    ports: [\"53:53/udp\"]\n"
                          "  web:\n    image: web\n    ports: [\"53:53\", \"8080\"]\n") == "");
}

TEST_CASE("semantic checks: a host port on a service with several replicas") {
  CHECK(validate_services("  app:\n    image: app\n    replicas: 3\n    ports: [\"8080:80\"]\n") ==
        "run-config.yaml:7:13: error: host port 8080/tcp is published by 3 replicas of 'app' (at "
        "services.app.ports)\n"
        "  hint: only one container can bind a host port; publish the container port only (\"80\") "
        "or use replicas: 1\n");
}

TEST_CASE("semantic checks: an invalid port") {
  CHECK(validate_services("  app:\n    image: app\n    ports: [\"99999:80\"]\n") ==
        "run-config.yaml:6:13: error: invalid port '99999:80' (at services.app.ports[0])\n"
        "  hint: write HOST_PORT:CONTAINER_PORT, IP:HOST_PORT:CONTAINER_PORT or CONTAINER_PORT, "
        "with /udp if needed\n");
}

TEST_CASE("semantic checks: an invalid duration") {
  CHECK(validate_services("  app:\n    image: app\n    stop_grace_period: 10 seconds\n"
                          "    healthcheck: {test: [CMD, check], interval: 5}\n") ==
        "run-config.yaml:7:49: error: expected a string, got integer '5' (at "
        "services.app.healthcheck.interval)\n"
        "  hint: YAML reads 5 as a number; quote it (\"5\") to keep it as written\n");
  CHECK(
      validate_services("  app:\n    image: app\n    stop_grace_period: 10 seconds\n"
                        "    healthcheck: {test: [CMD, check], interval: 5x}\n") ==
      "run-config.yaml:6:24: error: invalid duration '10 seconds' (at "
      "services.app.stop_grace_period)\n"
      "  hint: write e.g. 500ms, 10s, 1m30s or 2h\n"
      "run-config.yaml:7:49: error: invalid duration '5x' (at services.app.healthcheck.interval)\n"
      "  hint: write e.g. 500ms, 10s, 1m30s or 2h\n");
}

TEST_CASE("semantic checks: an invalid memory size") {
  CHECK(
      validate_services("  app:\n    image: app\n    resources: {cpu: 1, memory: lots}\n") ==
      "run-config.yaml:6:33: error: invalid memory size 'lots' (at services.app.resources.memory)\n"
      "  hint: write e.g. 512M, 1G or a number of bytes\n");
}

TEST_CASE("semantic checks: memory as a byte count is valid") {
  CHECK(validate_services("  app:\n    image: app\n    resources: {memory: 1048576}\n") == "");
}

TEST_CASE("semantic checks: an undeclared volume") {
  CHECK(validate_services("  db:\n    image: db\n    volumes: [\"pgdta:/var/lib/db\", "
                          "\"/srv:/srv:ro\", \"./conf:/etc/x\"]\n",
                          "volumes:\n  pgdata: {}\n") ==
        "run-config.yaml:6:15: error: volume 'pgdta' is not declared (at services.db.volumes[0])\n"
        "  hint: did you mean 'pgdata'?\n");
  CHECK(validate_services("  db:\n    image: db\n    volumes: [\"data:/var/lib/db\"]\n") ==
        "run-config.yaml:6:15: error: volume 'data' is not declared (at services.db.volumes[0])\n"
        "  hint: declare it under 'volumes:' at the top level\n");
}

TEST_CASE("semantic checks: a mount without a target path") {
  CHECK(validate_services("  db:\n    image: db\n    volumes: [\"data\"]\n") ==
        "run-config.yaml:6:15: error: invalid mount 'data' (at services.db.volumes[0])\n"
        "  hint: write VOLUME:/path, /host/path:/path or ./dir:/path, with :ro for read-only\n");
}

TEST_CASE("semantic checks: an undeclared network") {
  CHECK(validate_services("  app:\n    image: app\n    networks: [backend]\n",
                          "networks:\n  backnd: {}\n") ==
        "run-config.yaml:6:16: error: network 'backend' is not declared (at "
        "services.app.networks[0])\n"
        "  hint: did you mean 'backnd'?\n");
}

TEST_CASE("semantic checks: an invalid service name") {
  CHECK(validate_services("  My_App:\n    image: app\n") ==
        "run-config.yaml:4:3: error: invalid name 'My_App' (at services.My_App)\n"
        "  hint: use lower-case letters, digits, '-' and '_', starting with a letter or digit, at "
        "most 63 characters\n");
}

TEST_CASE("semantic checks: an invalid project name") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: Demo Project\nservices: {}\nenvironments:\n  dev: {}\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:2:10: error: invalid project name 'Demo Project' (at project)\n"
        "  hint: use lower-case letters, digits, '-' and '_', starting with a letter or digit, at "
        "most 40 characters\n");
}

TEST_CASE("semantic checks: a default_environment that is not declared") {
  MemorySource files = test::files_with(config_with_services("  app:\n    image: app\n", ""));
  files.add("run-config.yaml",
            "default_environment: prod\n" + config_with_services("  app:\n    image: app\n"));
  CHECK(test::validate_text(files, "dev") ==
        "run-config.yaml:1:22: error: environment 'prod' is not declared in 'environments' (at "
        "default_environment)\n");
}

TEST_CASE("semantic checks: every problem is reported, in file order") {
  std::string text = validate_services(
      "  app:\n    image: app\n    depends_on: [nope]\n    ports: [\"0:80\"]\n"
      "    resources: {memory: 12Q}\n");
  CHECK(
      text ==
      "run-config.yaml:6:18: error: depends on 'nope', which is not a service (at "
      "services.app.depends_on.nope)\n"
      "run-config.yaml:7:13: error: invalid port '0:80' (at services.app.ports[0])\n"
      "  hint: write HOST_PORT:CONTAINER_PORT, IP:HOST_PORT:CONTAINER_PORT or CONTAINER_PORT, with "
      "/udp if needed\n"
      "run-config.yaml:8:25: error: invalid memory size '12Q' (at services.app.resources.memory)\n"
      "  hint: write e.g. 512M, 1G or a number of bytes\n");
}

TEST_CASE("semantic checks: names are checked by rule, without a regex") {
  CHECK(is_valid_name("db", 63));
  CHECK(is_valid_name("tsp-worker_2", 63));
  CHECK(is_valid_name("9lives", 63));
  CHECK_FALSE(is_valid_name("", 63));
  CHECK_FALSE(is_valid_name("-db", 63));
  CHECK_FALSE(is_valid_name("_db", 63));
  CHECK_FALSE(is_valid_name("Db", 63));
  CHECK_FALSE(is_valid_name("d b", 63));
  CHECK_FALSE(is_valid_name("d.b", 63));
  CHECK(is_valid_name(std::string(63, 'a'), 63));
  CHECK_FALSE(is_valid_name(std::string(64, 'a'), 63));
  CHECK_FALSE(is_valid_name(std::string(1'000'000, 'a'), 63));
}

TEST_CASE("semantic checks: a secret used as a name is not shown in the error") {
  MemorySource files = test::files_with(
      config_with_services("  app:\n    image: app\n    volumes: [\"${secret:VOL}:/data\"]\n    "
                           "depends_on: [\"${secret:VOL}\"]\n"));
  config::LoadRequest request = test::request_for("dev");
  request.process_environment = {{"RUN_SECRET_VOL", "hidden-name"}};
  std::string text = test::formatted(validate_config(files, request));
  CHECK(text ==
        "run-config.yaml:6:15: error: volume (sensitive) is not declared (at "
        "services.app.volumes[0])\n"
        "  hint: declare it under 'volumes:' at the top level\n"
        "run-config.yaml:7:18: error: depends on (sensitive), which is not a service (at "
        "services.app.depends_on)\n");
  CHECK(text.find("hidden-name") == std::string::npos);
}

TEST_CASE(
    "semantic checks: a depends_on chain of 60,000 services is walked without deep recursion") {
  constexpr int kServices = 60'000;
  std::string text = "services:\n";
  for (int i = 0; i < kServices; ++i)
    text +=
        "  s" + std::to_string(i) + ": {image: x, depends_on: [s" + std::to_string(i + 1) + "]}\n";
  text += "  s" + std::to_string(kServices) + ": {image: x, depends_on: [s0]}\n";
  Diagnostics diagnostics = check_semantics(test::parse_ok(text), "dev");
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0].message.starts_with("dependency cycle: s0 -> s1 -> "));
  CHECK(diagnostics[0].message.size() < 1000);
}

}  // namespace run::config

namespace run {

TEST_CASE("semantic checks: a label starting with run. is reserved") {
  config::MemorySource files = test::files_with(
      "version: \"2\"\nproject: p\nservices:\n  app:\n    image: a\n    labels: { run.project: "
      "other, team: core }\n"
      "environments: { dev: {} }\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:6:15: error: label 'run.project' is reserved (at "
        "services.app.labels.run.project)\n"
        "  hint: labels starting with 'run.' are run's own (ownership, replica, config hash); "
        "choose another prefix\n");
}

}  // namespace run
