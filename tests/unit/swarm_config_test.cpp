// `target: swarm` in the configuration: an environment's target, a service's swarm settings
// (deploy:, update:, rollback:, resources.reservations, restart:) typed into the desired
// state, and the keys each target refuses, each at its line.
#include <doctest/doctest.h>

#include "config/desired_state_builder.h"
#include "test_support.h"

namespace run::config {

namespace {

/// run-config.yaml with `services_lines` under `services:` (from line 4 on), a containers
/// environment `dev` and a swarm environment `prod`.
std::string config_with(const std::string& services_lines) {
  return "version: \"2\"\n"
         "project: demo\n"
         "services:\n" +
         services_lines +
         "environments:\n"
         "  dev: {}\n"
         "  prod: { target: swarm }\n";
}

model::DesiredState build_for(const std::string& services_lines, const std::string& environment) {
  MemorySource files = test::files_with(config_with(services_lines));
  return build_desired_state(test::load_ok(files, test::request_for(environment)));
}

const model::ServiceSpec& web_of(const model::DesiredState& state) {
  const model::ServiceSpec* web = state.find_service("web");
  REQUIRE(web != nullptr);
  return *web;
}

std::string validate_for(const std::string& services_lines, const std::string& environment) {
  return test::validate_text(test::files_with(config_with(services_lines)), environment);
}

constexpr std::string_view kEverySwarmKey =
    "  web:\n"
    "    image: web:1\n"
    "    restart: on-failure\n"
    "    deploy:\n"
    "      mode: replicated-job\n"
    "      placement:\n"
    "        constraints: [\"node.role==worker\", \"node.labels.zone==a\"]\n"
    "        preferences: [{ spread: node.labels.zone }, { spread: node.labels.rack }]\n"
    "        max_replicas_per_node: 2\n"
    "      endpoint_mode: dnsrr\n"
    "    update: { order: start-first, parallelism: 2, delay: 10s, failure_action: rollback, "
    "monitor: 1m, max_failure_ratio: 0.25 }\n"
    "    rollback: { order: start-first, parallelism: 0, delay: 500ms, failure_action: continue, "
    "monitor: 2s, max_failure_ratio: 1 }\n"
    "    resources: { cpu: 1, memory: 512M, reservations: { cpu: 0.25, memory: 128M } }\n";

}  // namespace

TEST_CASE("swarm config: an environment's target is typed, containers when not written") {
  std::string web = "  web: { image: web:1 }\n";
  CHECK(build_for(web, "prod").target == model::DeployTarget::kSwarm);
  CHECK(build_for(web, "dev").target == model::DeployTarget::kContainers);
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n  web: { image: w }\nenvironments:\n"
      "  dev: { target: containers }\n");
  CHECK(build_desired_state(test::load_ok(files, test::request_for("dev"))).target ==
        model::DeployTarget::kContainers);
}

TEST_CASE("swarm config: every swarm key is typed into the service's swarm settings") {
  model::ServiceSpec web = web_of(build_for(std::string(kEverySwarmKey), "prod"));
  model::SwarmSettings expected;
  expected.mode = model::SwarmMode::kReplicatedJob;
  expected.constraints = {"node.role==worker", "node.labels.zone==a"};
  expected.preferences = {"node.labels.zone", "node.labels.rack"};
  expected.max_replicas_per_node = 2;
  expected.endpoint_mode = "dnsrr";
  expected.restart_condition = "on-failure";
  expected.reserved_cpus = 0.25;
  expected.reserved_memory_bytes = 128 * 1024 * 1024;
  expected.update = {2, 10'000, "rollback", 60'000, 0.25, false};  // order: update_order's
  expected.rollback = {0, 500, "continue", 2'000, 1.0, true};
  CHECK(web.swarm.mode == expected.mode);
  CHECK(web.swarm.constraints == expected.constraints);
  CHECK(web.swarm.preferences == expected.preferences);
  CHECK(web.swarm.max_replicas_per_node == 2);
  CHECK(web.swarm.endpoint_mode == "dnsrr");
  CHECK(web.swarm.restart_condition == "on-failure");
  CHECK(web.swarm.reserved_cpus == expected.reserved_cpus);
  CHECK(web.swarm.reserved_memory_bytes == expected.reserved_memory_bytes);
  CHECK(web.swarm.update == expected.update);
  CHECK(web.swarm.rollback == expected.rollback);
  CHECK(web.swarm == expected);
  CHECK(web.update_order == model::UpdateOrder::kStartFirst);
  CHECK(*web.in_place.cpus == 1.0);  // the limits stay where they were
  CHECK(*web.in_place.memory_bytes == 512 * 1024 * 1024);
}

TEST_CASE("swarm config: a service that writes no swarm key gets Docker's defaults") {
  model::ServiceSpec web = web_of(build_for("  web: { image: web:1 }\n", "prod"));
  CHECK(web.swarm == model::SwarmSettings{});
  CHECK(web.swarm.restart_condition == "any");
  CHECK(web.swarm.update.monitor_ms == 5'000);
}

TEST_CASE("swarm config: a global service, and the modes as written") {
  auto mode_of = [](const std::string& mode) {
    return web_of(build_for("  web: { image: web:1, deploy: { mode: " + mode + " } }\n", "prod"))
        .swarm.mode;
  };
  CHECK(mode_of("global") == model::SwarmMode::kGlobal);
  CHECK(mode_of("replicated") == model::SwarmMode::kReplicated);
  CHECK(mode_of("replicated-job") == model::SwarmMode::kReplicatedJob);
}

TEST_CASE("swarm config: restart: maps to the swarm's restart condition") {
  auto condition_of = [](const std::string& restart) {
    return web_of(build_for("  web: { image: web:1" + restart + " }\n", "prod"))
        .swarm.restart_condition;
  };
  CHECK(condition_of("") == "any");
  CHECK(condition_of(", restart: \"no\"") == "none");
  CHECK(condition_of(", restart: always") == "any");
  CHECK(condition_of(", restart: unless-stopped") == "any");
  CHECK(condition_of(", restart: on-failure") == "on-failure");
}

TEST_CASE("swarm config: rollback's order stop-first, or not written, does not start first") {
  CHECK_FALSE(web_of(build_for("  web: { image: w, rollback: { order: stop-first } }\n", "prod"))
                  .swarm.rollback.start_first);
  CHECK_FALSE(web_of(build_for("  web: { image: w, rollback: { parallelism: 3 } }\n", "prod"))
                  .swarm.rollback.start_first);
}

TEST_CASE("swarm config: a container target leaves the swarm settings default") {
  model::ServiceSpec web = web_of(build_for(
      "  web: { image: web:1, restart: \"no\", update: { order: start-first } }\n", "dev"));
  CHECK(web.swarm == model::SwarmSettings{});  // so its record has no swarm member
  CHECK(web.update_order == model::UpdateOrder::kStartFirst);
}

TEST_CASE("swarm config: the swarm settings are not part of the config hash") {
  std::string plain =
      "  web:\n"
      "    image: web:1\n"
      "    restart: on-failure\n"
      "    update: { order: start-first }\n"
      "    resources: { cpu: 1, memory: 512M }\n";
  std::string hash = web_of(build_for(plain, "dev")).config_hash;
  CHECK(hash.size() == 64);
  CHECK(web_of(build_for(plain, "prod")).config_hash == hash);
  CHECK(web_of(build_for(std::string(kEverySwarmKey), "prod")).config_hash == hash);
  CHECK(web_of(build_for(plain + "    deploy: { mode: global }\n", "prod")).config_hash == hash);
  CHECK(web_of(build_for(plain + "    rollback: { order: start-first, parallelism: 4 }\n", "prod"))
            .config_hash == hash);
}

TEST_CASE("swarm config: the swarm keys in a swarm environment's overlay, the base for both") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n"
      "  web:\n    image: web:1\n    depends_on: [db]\n"
      "  db: { image: db:1 }\n"
      "environments:\n  dev: {}\n  prod: { target: swarm }\n");
  files.add("environments/prod.yaml",
            "services:\n"
            "  web:\n"
            "    depends_on: null\n"
            "    deploy: { mode: global, placement: { constraints: [\"node.role==worker\"] } }\n"
            "    update: { parallelism: 2 }\n");
  CHECK(test::validate_text(files) == "");
  model::DesiredState prod = build_desired_state(test::load_ok(files, test::request_for("prod")));
  CHECK(web_of(prod).swarm.mode == model::SwarmMode::kGlobal);
  CHECK(web_of(prod).swarm.update.parallelism == 2);
  CHECK(web_of(prod).depends_on.empty());
  model::DesiredState dev = build_desired_state(test::load_ok(files, test::request_for("dev")));
  CHECK(web_of(dev).swarm == model::SwarmSettings{});
  CHECK(web_of(dev).config_hash == web_of(prod).config_hash);
}

}  // namespace run::config
