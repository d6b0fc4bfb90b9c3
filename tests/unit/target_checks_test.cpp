// The keys one deploy target refuses (config/target_checks.h), each with its golden text as
// `run validate` prints it: on containers the swarm-only keys, on a swarm what it cannot honour.
#include <doctest/doctest.h>

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
         "volumes: { data: {} }\n"
         "environments:\n"
         "  dev: {}\n"
         "  prod: { target: swarm }\n";
}

std::string validate_for(const std::string& services_lines, const std::string& environment) {
  return test::validate_text(test::files_with(config_with(services_lines)), environment);
}

}  // namespace

TEST_CASE("target checks: a container target refuses every swarm-only key, at its line") {
  std::string services =
      "  web:\n"
      "    image: web:1\n"
      "    deploy: { mode: global }\n"
      "    rollback: { order: start-first }\n"
      "    update: { order: start-first, parallelism: 2, delay: 5s, failure_action: pause, "
      "monitor: 1s, max_failure_ratio: 0.5 }\n"
      "    resources: { cpu: 1, reservations: { cpu: 0.5 } }\n";
  CHECK(validate_for(services, "dev") ==
        "run-config.yaml:6:5: error: 'deploy' only has a meaning on a swarm target "
        "(environments.dev.target: swarm) (at services.web.deploy)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n"
        "run-config.yaml:7:5: error: 'rollback' only has a meaning on a swarm target "
        "(environments.dev.target: swarm) (at services.web.rollback)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n"
        "run-config.yaml:8:35: error: 'update.parallelism' only has a meaning on a swarm target "
        "(environments.dev.target: swarm) (at services.web.update.parallelism)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n"
        "run-config.yaml:8:51: error: 'update.delay' only has a meaning on a swarm target "
        "(environments.dev.target: swarm) (at services.web.update.delay)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n"
        "run-config.yaml:8:62: error: 'update.failure_action' only has a meaning on a swarm target "
        "(environments.dev.target: swarm) (at services.web.update.failure_action)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n"
        "run-config.yaml:8:85: error: 'update.monitor' only has a meaning on a swarm target "
        "(environments.dev.target: swarm) (at services.web.update.monitor)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n"
        "run-config.yaml:8:98: error: 'update.max_failure_ratio' only has a meaning on a swarm "
        "target (environments.dev.target: swarm) (at services.web.update.max_failure_ratio)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n"
        "run-config.yaml:9:26: error: 'resources.reservations' only has a meaning on a swarm "
        "target (environments.dev.target: swarm) (at services.web.resources.reservations)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n");
  CHECK(validate_for(services, "prod") == "");
}

TEST_CASE("target checks: update.order alone means something on both targets") {
  std::string services = "  web: { image: web:1, update: { order: start-first } }\n";
  CHECK(validate_for(services, "dev") == "");
  CHECK(validate_for(services, "prod") == "");
}

TEST_CASE("target checks: a swarm refuses depends_on, at its line") {
  std::string services =
      "  db: { image: db:1 }\n"
      "  web:\n"
      "    image: web:1\n"
      "    depends_on: { db: healthy }\n";
  CHECK(validate_for(services, "prod") ==
        "run-config.yaml:7:5: error: a swarm has no start order: depends_on cannot be honoured on "
        "environment 'prod' (target: swarm); a health check and the manager's restarts take its "
        "place (at services.web.depends_on)\n"
        "  hint: remove it for this environment (depends_on: null in environments/prod.yaml)\n");
  CHECK(validate_for(services, "dev") == "");
}

TEST_CASE("target checks: an empty depends_on asks for nothing, so a swarm takes it") {
  CHECK(validate_for("  web: { image: web:1, depends_on: [] }\n", "prod") == "");
}

TEST_CASE("target checks: a swarm refuses a port bound to a host IP, and takes one without") {
  std::string services =
      "  web:\n"
      "    image: web:1\n"
      "    ports: [\"8080:80\", \"127.0.0.1:8081:81\", \"9000\", \"10.0.0.1:53:53/udp\"]\n";
  CHECK(
      validate_for(services, "prod") ==
      "run-config.yaml:6:24: error: port '127.0.0.1:8081:81' names a host IP, which a swarm cannot "
      "honour: it publishes a port on every address of the node (at services.web.ports[1])\n"
      "  hint: write \"8081:81\", and keep other hosts out with a firewall\n"
      "run-config.yaml:6:53: error: port '10.0.0.1:53:53/udp' names a host IP, which a swarm "
      "cannot honour: it publishes a port on every address of the node (at services.web.ports[3])\n"
      "  hint: write \"53:53/udp\", and keep other hosts out with a firewall\n");
  CHECK(validate_for(services, "dev") == "");
}

TEST_CASE("target checks: a swarm refuses a bind mount with a relative source") {
  std::string services =
      "  web:\n"
      "    image: web:1\n"
      "    volumes:\n"
      "      - ./conf:/etc/conf:ro\n"
      "      - /srv/web:/srv\n"
      "      - data:/data\n"
      "      - ~/cache:/cache\n";
  CHECK(
      validate_for(services, "prod") ==
      "run-config.yaml:7:9: error: bind mount './conf:/etc/conf:ro' has a relative source: on a "
      "swarm the path would be read on whichever node runs the task (at services.web.volumes[0])\n"
      "  hint: write an absolute path that exists on those nodes (/srv/data:/data), or use a named "
      "volume\n"
      "run-config.yaml:10:9: error: bind mount '~/cache:/cache' has a relative source: on a swarm "
      "the path would be read on whichever node runs the task (at services.web.volumes[3])\n"
      "  hint: write an absolute path that exists on those nodes (/srv/data:/data), or use a named "
      "volume\n");
  CHECK(validate_for(services, "dev") == "");
}

TEST_CASE("target checks: a global service refuses replicas and max_replicas_per_node") {
  std::string services =
      "  web:\n"
      "    image: web:1\n"
      "    replicas: 2\n"
      "    deploy:\n"
      "      mode: global\n"
      "      placement: { max_replicas_per_node: 1 }\n";
  CHECK(validate_for(services, "prod") ==
        "run-config.yaml:6:5: error: a global service runs one task on every node: replicas has no "
        "meaning with deploy.mode: global (at services.web.replicas)\n"
        "  hint: remove replicas (replicas: null in environments/prod.yaml), or use deploy.mode: "
        "replicated\n"
        "run-config.yaml:9:20: error: a global service runs one task on every node: "
        "max_replicas_per_node has no meaning with deploy.mode: global (at "
        "services.web.deploy.placement.max_replicas_per_node)\n"
        "  hint: remove it, or use deploy.mode: replicated\n");
  CHECK(validate_for(
            "  web:\n    image: web:1\n    replicas: 2\n    deploy:\n      mode: replicated\n"
            "      placement: { max_replicas_per_node: 1 }\n",
            "prod") == "");
}

TEST_CASE("target checks: on a swarm the replicas of a service share a published host port") {
  std::string services = "  web: { image: web:1, replicas: 3, ports: [\"8080:80\"] }\n";
  CHECK(validate_for(services, "prod") == "");
  CHECK(validate_for(services, "dev").find("is published by 3 replicas of 'web'") !=
        std::string::npos);
  CHECK(validate_for(services + "  api: { image: api:1, ports: [\"8080:8080\"] }\n", "prod")
            .find("host port 8080/tcp is already published by service 'web'") != std::string::npos);
}

TEST_CASE("target checks: the swarm durations and the reserved memory are checked as others") {
  std::string services =
      "  web:\n"
      "    image: web:1\n"
      "    update: { delay: soon, monitor: 5s }\n"
      "    rollback: { monitor: 10 minutes }\n"
      "    resources: { reservations: { memory: lots } }\n";
  CHECK(validate_for(services, "prod") ==
        "run-config.yaml:6:22: error: invalid duration 'soon' (at services.web.update.delay)\n"
        "  hint: write e.g. 500ms, 10s, 1m30s or 2h\n"
        "run-config.yaml:7:26: error: invalid duration '10 minutes' (at "
        "services.web.rollback.monitor)\n"
        "  hint: write e.g. 500ms, 10s, 1m30s or 2h\n"
        "run-config.yaml:8:42: error: invalid memory size 'lots' (at "
        "services.web.resources.reservations.memory)\n"
        "  hint: write e.g. 512M, 1G or a number of bytes\n");
}

TEST_CASE("target checks: the schema's own limits on the swarm keys") {
  std::string services =
      "  web:\n"
      "    image: web:1\n"
      "    rollback: { failure_action: rollback }\n"
      "    update: { max_failure_ratio: 1.5, parallelism: -1 }\n"
      "    deploy: { mode: everywhere, placement: { preferences: [{ spread: x, weight: 2 }] } }\n";
  CHECK(validate_for(services, "prod") ==
        "run-config.yaml:6:33: error: expected 'pause' or 'continue', got 'rollback' (at "
        "services.web.rollback.failure_action)\n"
        "run-config.yaml:7:34: error: expected number less than or equal to 1.000000 (at "
        "services.web.update.max_failure_ratio)\n"
        "run-config.yaml:7:52: error: expected number greater than or equal to 0.000000 (at "
        "services.web.update.parallelism)\n"
        "run-config.yaml:8:21: error: expected 'replicated', 'global' or 'replicated-job', got "
        "'everywhere' (at services.web.deploy.mode)\n"
        "run-config.yaml:8:73: error: unknown key 'weight' (at "
        "services.web.deploy.placement.preferences[0].weight)\n"
        "  hint: expected one of 'spread'\n");
}

TEST_CASE("target checks: an unknown target") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n  web: { image: w }\nenvironments:\n"
      "  dev: { target: kubernetes }\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:6:18: error: expected 'containers' or 'swarm', got 'kubernetes' (at "
        "environments.dev.target)\n");
}

TEST_CASE("target checks: a swarm-only key in the base is refused for each container environment") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n"
      "  web: { image: web:1, deploy: { endpoint_mode: dnsrr } }\n"
      "environments:\n  dev: {}\n  staging: {}\n  prod: { target: swarm }\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:4:24: error: 'deploy' only has a meaning on a swarm target "
        "(environments.dev.target: swarm) (at services.web.deploy)\n"
        "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
        "swarm environment (environments/NAME.yaml)\n"
        "run-config.yaml:4:24: error: 'deploy' only has a meaning on a swarm target "
        "(environments.staging.target: swarm) (at services.web.deploy)\n"
        "  hint: environment 'staging' deploys containers: remove it, or write it in the overlay "
        "of a swarm environment (environments/NAME.yaml)\n");
}

TEST_CASE("target checks: a refusal in an overlay names the overlay's line") {
  MemorySource files = test::files_with(config_with("  web: { image: web:1 }\n"));
  files.add("environments/dev.yaml",
            "services:\n"
            "  web:\n"
            "    resources:\n"
            "      reservations: { cpu: 1 }\n");
  files.add("environments/prod.yaml",
            "services:\n"
            "  web:\n"
            "    volumes: [\"./data:/data\"]\n");
  CHECK(
      test::validate_text(files) ==
      "environments/dev.yaml:4:7: error: 'resources.reservations' only has a meaning on a swarm "
      "target (environments.dev.target: swarm) (at services.web.resources.reservations)\n"
      "  hint: environment 'dev' deploys containers: remove it, or write it in the overlay of a "
      "swarm environment (environments/NAME.yaml)\n"
      "environments/prod.yaml:3:15: error: bind mount './data:/data' has a relative source: on a "
      "swarm the path would be read on whichever node runs the task (at services.web.volumes[0])\n"
      "  hint: write an absolute path that exists on those nodes (/srv/data:/data), or use a named "
      "volume\n");
}

}  // namespace run::config

namespace run::config {

TEST_CASE("target checks: a swarm refuses a built image and deploy hooks, at their lines") {
  std::string services =
      "  web:\n"
      "    image: web\n"
      "    build: { context: . }\n"
      "tasks:\n"
      "  migrate: { image: web:1, when: pre-deploy }\n"
      "  backup: { image: web:1 }\n";
  std::string errors = validate_for(services, "prod");
  CHECK(errors.find("run-config.yaml:6:5: error: a swarm's nodes cannot run an image built on "
                    "one engine: run builds, it does not push (at services.web.build)") !=
        std::string::npos);
  CHECK(errors.find("run-config.yaml:8:34: error: a pre-deploy hook runs a one-off container on "
                    "one engine, and environment 'prod' deploys to a swarm, whose tasks run on "
                    "its nodes (at tasks.migrate.when)") != std::string::npos);
  CHECK(errors.find("tasks.backup") == std::string::npos);
  CHECK(validate_for(services, "dev").find("swarm") == std::string::npos);
}

}  // namespace run::config
