#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>

#include "config/desired_state_builder.h"
#include "history/state_json.h"
#include "test_support.h"

namespace run::history {

namespace {

constexpr std::string_view kCanary = "canary-4b1d-secret-value";

// Every kind of field the model holds: a string command and an empty entrypoint (present
// but empty, not absent), a secret alone and one inside other text next to a literal '$',
// an empty value, ports with and without a host side, a volume and a bind mount, labels,
// a full health check and a shell one, every depends_on condition, cpu, memory and restart,
// start-first, replicas 0, an internal network with labels, a volume with labels, and a
// protected environment.
constexpr std::string_view kConfig =
    "version: \"2\"\n"
    "project: shop\n"
    "services:\n"
    "  web:\n"
    "    image: busybox:web\n"
    "    command: echo hi\n"
    "    entrypoint: []\n"
    "    env:\n"
    "      PASSWORD: \"${secret:PASSWORD}\"\n"
    "      DSN: \"postgres://app:${secret:PASSWORD}@db/$${NOT_A_VARIABLE}\"\n"
    "      GREETING: \"${GREETING}\"\n"
    "      PORT: 8080\n"
    "      EMPTY:\n"
    "    ports: [\"127.0.0.1:8080:80/udp\", \"9090\"]\n"
    "    volumes: [\"data:/srv:ro\", \"./conf:/etc/conf\"]\n"
    "    networks: [back]\n"
    "    labels: { com.example.team: shop, note: \"quotes \\\" and \\\\ and é\" }\n"
    "    healthcheck: { test: [\"CMD\", \"true\"], interval: 1m30s, timeout: 5s, start_period: "
    "500ms, retries: 3 }\n"
    "    init: true\n"
    "    user: \"1000:1000\"\n"
    "    working_dir: /srv\n"
    "    stop_signal: SIGINT\n"
    "    stop_grace_period: 20s\n"
    "    resources: { cpu: 0.1, memory: 1G }\n"
    "    restart: always\n"
    "    depends_on: { db: healthy, migrate: completed_successfully, cache: started }\n"
    "    update: { order: start-first }\n"
    "  db:\n"
    "    image: busybox:db\n"
    "    replicas: 2\n"
    "    env: { POSTGRES_PASSWORD: \"${secret:PASSWORD}\" }\n"
    "    healthcheck: { test: pg_isready }\n"
    "  migrate: { image: busybox:migrate, command: [migrate, up] }\n"
    "  cache: { image: busybox:cache, replicas: 0, depends_on: [db] }\n"
    "volumes: { data: { labels: { backup: daily } } }\n"
    "networks: { back: { internal: true, labels: { tier: back } } }\n"
    "environments: { dev: { protected: true } }\n";

model::DesiredState build(std::string_view config, std::string secret) {
  config::MemorySource files = test::files_with(config);
  config::LoadRequest request;
  request.process_environment = {{"RUN_SECRET_PASSWORD", std::move(secret)},
                                 {"GREETING", "hello $USER"}};
  return config::build_desired_state(test::load_ok(files, request));
}

model::DesiredState build_demo() { return build(kConfig, std::string(kCanary)); }

config::InterpolationScope scope_with(std::map<std::string, std::string, std::less<>> secrets) {
  config::InterpolationScope scope;
  for (auto& [name, value] : secrets) scope.secrets[name] = value;
  scope.secrets_file = ".run/secrets/dev.env";
  return scope;
}

model::DesiredState parse_ok(std::string_view json) {
  Result<model::DesiredState> parsed = state_from_json(json, "record 12 of dev: state.json");
  if (!parsed) FAIL("unexpected errors:\n" << test::formatted(parsed.errors()));
  return std::move(parsed).value();
}

/// The errors `json` is refused with, formatted.
std::string parse_errors(std::string_view json) {
  Result<model::DesiredState> parsed = state_from_json(json, "record 12 of dev: state.json");
  if (parsed) FAIL("expected errors for:\n" << json);
  return test::formatted(parsed.errors());
}

/// `text` with the one occurrence of `from` replaced by `to`.
std::string with(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos, from);
  return text.replace(at, from.size(), to);
}

/// What a restored environment should hold: the same, with secret values left out.
std::map<std::string, model::EnvValue> without_secret_values(
    std::map<std::string, model::EnvValue> env) {
  for (auto& [name, value] : env)
    if (value.sensitive) value.value.clear();
  return env;
}

void check_same_service(const model::ServiceSpec& restored, const model::ServiceSpec& built) {
  INFO("service " << built.name);
  CHECK(restored.name == built.name);
  CHECK(restored.image == built.image);
  CHECK(restored.command == built.command);
  CHECK(restored.entrypoint == built.entrypoint);
  CHECK(restored.env == without_secret_values(built.env));
  CHECK(restored.ports == built.ports);
  CHECK(restored.volumes == built.volumes);
  CHECK(restored.networks == built.networks);
  CHECK(restored.labels == built.labels);
  CHECK(restored.healthcheck == built.healthcheck);
  CHECK(restored.init == built.init);
  CHECK(restored.user == built.user);
  CHECK(restored.working_dir == built.working_dir);
  CHECK(restored.stop_signal == built.stop_signal);
  CHECK(restored.stop_grace_period_ms == built.stop_grace_period_ms);
  CHECK(restored.in_place == built.in_place);
  CHECK(restored.replicas == built.replicas);
  CHECK(restored.depends_on == built.depends_on);
  CHECK(restored.update_order == built.update_order);
  CHECK(restored.swarm == built.swarm);
  CHECK(restored.config_hash == built.config_hash);
}

/// Swarm settings that differ from the defaults in every member.
model::SwarmSettings every_swarm_setting() {
  model::SwarmSettings swarm;
  swarm.mode = model::SwarmMode::kReplicatedJob;
  swarm.constraints = {"node.role==worker", "node.labels.zone!=c"};
  swarm.preferences = {"node.labels.zone"};
  swarm.max_replicas_per_node = 2;
  swarm.endpoint_mode = "dnsrr";
  swarm.restart_condition = "on-failure";
  swarm.reserved_cpus = 0.25;
  swarm.reserved_memory_bytes = 134217728;
  swarm.update = {3, 10'000, "rollback", 30'000, 0.5, false};
  swarm.rollback = {0, 250, "continue", 1'000, 1.0, true};
  return swarm;
}

/// The demo state with `swarm` on service web.
model::DesiredState demo_with_swarm(const model::SwarmSettings& swarm) {
  model::DesiredState state = build_demo();
  for (model::ServiceSpec& spec : state.services)
    if (spec.name == "web") spec.swarm = swarm;
  return state;
}

void check_same_state(const model::DesiredState& restored, const model::DesiredState& built) {
  CHECK(restored.project == built.project);
  CHECK(restored.environment == built.environment);
  CHECK(restored.protected_environment == built.protected_environment);
  REQUIRE(restored.services.size() == built.services.size());
  for (std::size_t i = 0; i < built.services.size(); ++i)
    check_same_service(restored.services[i], built.services[i]);
  REQUIRE(restored.networks.size() == built.networks.size());
  for (std::size_t i = 0; i < built.networks.size(); ++i) {
    CHECK(restored.networks[i].name == built.networks[i].name);
    CHECK(restored.networks[i].internal == built.networks[i].internal);
    CHECK(restored.networks[i].labels == built.networks[i].labels);
  }
  REQUIRE(restored.volumes.size() == built.volumes.size());
  for (std::size_t i = 0; i < built.volumes.size(); ++i) {
    CHECK(restored.volumes[i].name == built.volumes[i].name);
    CHECK(restored.volumes[i].labels == built.volumes[i].labels);
  }
}

}  // namespace

TEST_CASE("state JSON: the demo config covers every kind of field") {
  // Guards the round-trip tests below: they prove little if the config lost a field kind.
  model::DesiredState state = build_demo();
  const model::ServiceSpec& web = *state.find_service("web");
  CHECK(state.protected_environment);
  CHECK(web.command.has_value());
  CHECK(web.entrypoint.has_value());
  CHECK(web.entrypoint->empty());
  CHECK_FALSE(state.find_service("db")->command.has_value());
  CHECK(web.env.at("DSN").reference == "postgres://app:${secret:PASSWORD}@db/$${NOT_A_VARIABLE}");
  CHECK(web.env.at("DSN").value ==
        "postgres://app:" + std::string(kCanary) + "@db/${NOT_A_VARIABLE}");
  CHECK(web.env.at("GREETING").value == "hello $USER");
  CHECK_FALSE(web.env.at("GREETING").sensitive);
  CHECK(web.ports.size() == 2);
  CHECK(web.volumes[1].kind == model::MountKind::kBind);
  CHECK(web.healthcheck->start_period_ms == 500);
  CHECK(web.stop_grace_period_ms == 20'000);
  CHECK(web.in_place.cpus == 0.1);
  CHECK(web.depends_on.size() == 3);
  CHECK(web.update_order == model::UpdateOrder::kStartFirst);
  CHECK(state.find_service("cache")->replicas == 0);
  CHECK(state.networks.size() == 2);
}

TEST_CASE(
    "state JSON: a state read back equals the state written, secrets as reference and "
    "fingerprint") {
  model::DesiredState built = build_demo();
  model::DesiredState restored = parse_ok(state_to_json(built));
  check_same_state(restored, built);
  const model::EnvValue& password = restored.find_service("web")->env.at("PASSWORD");
  CHECK(password.sensitive);
  CHECK(password.value.empty());
  CHECK(password.reference == "${secret:PASSWORD}");
  CHECK(password.fingerprint == built.find_service("web")->env.at("PASSWORD").fingerprint);
}

TEST_CASE("state JSON: a secret's value never appears in the file") {
  std::string json = state_to_json(build_demo());
  CHECK(json.find(kCanary) == std::string::npos);
  CHECK(json.find("\"secret\": \"${secret:PASSWORD}\"") != std::string::npos);
}

TEST_CASE(
    "state JSON: the file is stable, pretty, and names services, images and environment as readers "
    "expect") {
  model::DesiredState built = build_demo();
  std::string json = state_to_json(built);
  CHECK(json == state_to_json(built));
  CHECK(state_to_json(parse_ok(json)) == json);  // writing what was read changes nothing
  CHECK(json.starts_with(
      "{\n  \"format_version\": \"1\",\n  \"project\": \"shop\",\n  \"environment\": \"dev\",\n"
      "  \"protected\": true,\n  \"services\": [\n    {\n      \"name\": \"cache\",\n"
      "      \"image\": \"busybox:cache\",\n      \"command\": null,\n"));
  CHECK(json.find("      \"entrypoint\": [],\n") != std::string::npos);
  CHECK(json.find("      \"environment\": {\n        \"DSN\": {\n          \"secret\": ") !=
        std::string::npos);
  CHECK(json.find("        \"PORT\": \"8080\"\n") != std::string::npos);
  CHECK(json.find("\"cpus\": 0.1,") != std::string::npos);
  CHECK(json.find("\"memory_bytes\": 1073741824") != std::string::npos);
  CHECK(json.ends_with("}\n"));
}

TEST_CASE(
    "state JSON: resolving secrets with the same secret gives back the builder's values and "
    "hashes") {
  model::DesiredState built = build_demo();
  model::DesiredState restored = parse_ok(state_to_json(built));
  REQUIRE(resolve_secrets(restored, scope_with({{"PASSWORD", std::string(kCanary)}})));
  for (std::size_t i = 0; i < built.services.size(); ++i) {
    CHECK(restored.services[i].env == built.services[i].env);
    CHECK(restored.services[i].config_hash == built.services[i].config_hash);
  }
}

TEST_CASE(
    "state JSON: a rotated secret gives the hash the builder gives for it, and changes only its "
    "services") {
  model::DesiredState built = build_demo();
  model::DesiredState rotated = build(kConfig, "rotated");
  model::DesiredState restored = parse_ok(state_to_json(built));
  REQUIRE(resolve_secrets(restored, scope_with({{"PASSWORD", "rotated"}})));
  for (std::size_t i = 0; i < built.services.size(); ++i) {
    INFO("service " << built.services[i].name);
    CHECK(restored.services[i].config_hash == rotated.services[i].config_hash);
    CHECK(restored.services[i].env == rotated.services[i].env);
  }
  CHECK(restored.find_service("web")->config_hash != built.find_service("web")->config_hash);
  CHECK(restored.find_service("db")->config_hash != built.find_service("db")->config_hash);
  CHECK(restored.find_service("web")->env.at("PASSWORD").fingerprint !=
        built.find_service("web")->env.at("PASSWORD").fingerprint);
  CHECK(restored.find_service("cache")->config_hash == built.find_service("cache")->config_hash);
}

TEST_CASE(
    "state JSON: a secret no longer set is an error naming it, the key that needs it and where to "
    "set it") {
  model::DesiredState restored = parse_ok(state_to_json(build_demo()));
  config::InterpolationScope scope = scope_with({});
  scope.missing_secret =
      config::MissingSecret::kWarning;  // resolving needs values whatever the scope says
  Status status = resolve_secrets(restored, scope);
  REQUIRE_FALSE(status);
  // One secret missing in three places is one thing to fix, reported once, at its first use.
  CHECK(test::formatted(status.errors()) ==
        "error: secret PASSWORD is not set (at services.db.env.POSTGRES_PASSWORD)\n"
        "  hint: export RUN_SECRET_PASSWORD, or add PASSWORD=... to .run/secrets/dev.env\n");
}

TEST_CASE("state JSON: a file that is not JSON is refused at the line and column of the fault") {
  CHECK(parse_errors("{\n  \"format_version\": \"1\",\n  \"project\" \"shop\"\n}") ==
        "record 12 of dev: state.json:3:13: error: not valid JSON: Missing a colon after a name of "
        "object member\n"
        "  hint: the record file is damaged; was it edited by hand?\n");
  CHECK(parse_errors("").find("state.json:1:1: error: not valid JSON: The document is empty") !=
        std::string::npos);
  CHECK(parse_errors(state_to_json(build_demo()) + "x")
            .find("not valid JSON: The document root must not be followed by other values") !=
        std::string::npos);
  CHECK(parse_errors("[]") ==
        "record 12 of dev: state.json: error: expected a JSON object, found an array\n");
  CHECK(parse_errors("{\"format_version\": \"\xff\"}")
            .find("not valid JSON: Invalid encoding in string") != std::string::npos);
}

TEST_CASE("state JSON: an unknown format_version is refused, saying which version this run reads") {
  std::string json =
      with(state_to_json(build_demo()), "\"format_version\": \"1\"", "\"format_version\": \"2\"");
  CHECK(parse_errors(json) ==
        "record 12 of dev: state.json: error: format_version '2' is not one this run reads (at "
        "format_version)\n"
        "  hint: this run reads format_version 1; a newer run wrote this record, so read it with "
        "that version\n");
  CHECK(parse_errors("{\"format_version\": 1}") ==
        "record 12 of dev: state.json: error: expected a string, found a number (at "
        "format_version)\n");
  CHECK(parse_errors("{\"project\": \"shop\"}") ==
        "record 12 of dev: state.json: error: required member is missing (at format_version)\n"
        "  hint: was this file written by run?\n");
}

TEST_CASE(
    "state JSON: wrong types, missing and unknown members are all reported, each at its JSON "
    "path") {
  std::string json = state_to_json(build_demo());
  json = with(json, "\"replicas\": 2", "\"replicas\": \"2\"");
  json = with(json, "\"image\": \"busybox:migrate\",", "\"imagee\": \"busybox:migrate\",");
  json = with(json, "\"read_only\": true", "\"read_only\": 1");
  json = with(json, "\"container_port\": 9090", "\"container_port\": 70000");
  json = with(json, "\"interval_ms\": 90000", "\"interval_ms\": 1.5");
  json = with(json, "\"PORT\": \"8080\"", "\"PORT\": 8080");
  json = with(json, "\"condition\": \"healthy\"", "\"condition\": \"ready\"");
  json = with(json, "\"internal\": true", "\"internal\": null");
  std::string errors = parse_errors(json);
  CHECK(errors ==
        "record 12 of dev: state.json: error: expected an integer from 0 to 2147483647, found a "
        "string (at "
        "services[1].replicas)\n"
        "record 12 of dev: state.json: error: unknown member (at services[2].imagee)\n"
        "  hint: did you mean 'image'?\n"
        "record 12 of dev: state.json: error: required member is missing (at services[2].image)\n"
        "record 12 of dev: state.json: error: expected a string, or an object with secret and "
        "fingerprint, found a "
        "number (at services[3].environment.PORT)\n"
        "record 12 of dev: state.json: error: expected an integer from 0 to 65535, found 70000 (at "
        "services[3].ports[1].container_port)\n"
        "record 12 of dev: state.json: error: expected true or false, found a number (at "
        "services[3].volumes[0].read_only)\n"
        "record 12 of dev: state.json: error: expected an integer of at least 0, found 1.5 (at "
        "services[3].healthcheck.interval_ms)\n"
        "record 12 of dev: state.json: error: unknown value 'ready' (at "
        "services[3].depends_on[1].condition)\n"
        "  hint: expected one of started, healthy, completed_successfully\n"
        "record 12 of dev: state.json: error: expected true or false, found null (at "
        "networks[1].internal)\n");
}

TEST_CASE("state JSON: an absent optional is refused: it must be written as null") {
  std::string json =
      with(state_to_json(build_demo()),
           "      \"command\": null,\n      \"entrypoint\": null,\n      \"environment\": {}",
           "      \"entrypoint\": null,\n      \"environment\": {}");
  CHECK(
      parse_errors(json) ==
      "record 12 of dev: state.json: error: required member is missing (at services[0].command)\n");
}

TEST_CASE("state JSON: a damaged secret, a repeated key and a repeated service are refused") {
  std::string json = state_to_json(build_demo());
  json = with(json, "\"POSTGRES_PASSWORD\": {\n          \"secret\": \"${secret:PASSWORD}\"",
              "\"POSTGRES_PASSWORD\": {\n          \"secret\": \"${PASSWORD}\"");
  json = with(json, "\"name\": \"migrate\"", "\"name\": \"cache\"");
  json = with(json, "\"backup\": \"daily\"", "\"backup\": \"daily\", \"backup\": \"weekly\"");
  std::string errors = parse_errors(json);
  CHECK(errors.find("error: not a valid secret reference: variable PASSWORD is not set (at "
                    "services[1].environment.POSTGRES_PASSWORD.secret)") != std::string::npos);
  CHECK(errors.find("error: key appears more than once (at volumes[0].labels.backup)") !=
        std::string::npos);
  CHECK(errors.find("error: the name 'cache' appears more than once (at services[2].name)") !=
        std::string::npos);

  std::string plain = with(state_to_json(build_demo()),
                           "\"POSTGRES_PASSWORD\": {\n          \"secret\": \"${secret:PASSWORD}\"",
                           "\"POSTGRES_PASSWORD\": {\n          \"secret\": \"plain $$ text\"");
  CHECK(parse_errors(plain) ==
        "record 12 of dev: state.json: error: the secret reference names no secret (at "
        "services[1].environment.POSTGRES_PASSWORD.secret)\n"
        "  hint: expected text with ${secret:NAME}\n");
}

TEST_CASE("state JSON: a service's swarm settings are written and read back, for a rollback") {
  model::DesiredState built = demo_with_swarm(every_swarm_setting());
  std::string json = state_to_json(built);
  model::DesiredState restored = parse_ok(json);
  check_same_state(restored, built);
  CHECK(restored.find_service("web")->swarm == every_swarm_setting());
  CHECK(restored.find_service("db")->swarm == model::SwarmSettings{});
  CHECK(state_to_json(restored) == json);
  CHECK(json.find("      \"update_order\": \"start-first\",\n      \"swarm\": {\n"
                  "        \"mode\": \"replicated-job\",\n") != std::string::npos);
  CHECK(json.find("\"reservations\": {\n          \"cpus\": 0.25,\n"
                  "          \"memory_bytes\": 134217728\n        },") != std::string::npos);
}

TEST_CASE(
    "state JSON: default swarm settings write no swarm member: a container record is as before") {
  std::string json = state_to_json(build_demo());
  CHECK(json.find("\"swarm\"") == std::string::npos);
  // One setting away from the defaults is enough to write them all.
  model::SwarmSettings one;
  one.restart_condition = "none";
  std::string with_one = state_to_json(demo_with_swarm(one));
  CHECK(with_one.find("\"restart_condition\": \"none\"") != std::string::npos);
  CHECK(with_one.find("\"reservations\": {\n          \"cpus\": null,") != std::string::npos);
  CHECK(parse_ok(with_one).find_service("web")->swarm == one);
}

TEST_CASE("state JSON: damaged swarm settings are refused, each at its JSON path") {
  std::string json = state_to_json(demo_with_swarm(every_swarm_setting()));
  json = with(json, "\"mode\": \"replicated-job\"", "\"mode\": \"everywhere\"");
  json = with(json, "\"failure_action\": \"continue\"", "\"failure_action\": \"rollback\"");
  json = with(json, "\"max_failure_ratio\": 0.5", "\"max_failure_ratio\": 1.5");
  json = with(json, "\"endpoint_mode\": \"dnsrr\",", "");
  json = with(json, "\"max_replicas_per_node\": 2", "\"max_replicas_per_node\": -1");
  CHECK(parse_errors(json) ==
        "record 12 of dev: state.json: error: required member is missing (at "
        "services[3].swarm.endpoint_mode)\n"
        "record 12 of dev: state.json: error: unknown value 'everywhere' (at "
        "services[3].swarm.mode)\n"
        "  hint: expected one of replicated, global, replicated-job\n"
        "record 12 of dev: state.json: error: expected an integer from 0 to 2147483647, found -1 "
        "(at services[3].swarm.max_replicas_per_node)\n"
        "record 12 of dev: state.json: error: expected a number from 0 to 1, found 1.500000 (at "
        "services[3].swarm.update.max_failure_ratio)\n"
        "record 12 of dev: state.json: error: unknown value 'rollback' (at "
        "services[3].swarm.rollback.failure_action)\n"
        "  hint: expected one of pause, continue\n");
}

TEST_CASE("state JSON: 1,000 services are written and read back in well under 100 ms") {
  std::string config = "version: \"2\"\nproject: big\nservices:\n";
  for (int i = 0; i < 1000; ++i) {
    std::string name = "svc" + std::to_string(i);
    config += "  " + name + ":\n    image: busybox:" + std::to_string(i) + "\n" +
              "    env: { PASSWORD: \"${secret:PASSWORD}\", INDEX: \"" + std::to_string(i) +
              "\", MODE: production }\n" + "    ports: [\"" + std::to_string(10000 + i) +
              ":80\"]\n" + "    volumes: [\"data:/data/" + name + "\"]\n" +
              "    healthcheck: { test: [\"CMD\", \"true\"], interval: 5s }\n" +
              "    labels: { team: shop }\n" + "    resources: { cpu: 0.25, memory: 64M }\n" +
              (i > 0 ? "    depends_on: { svc0: healthy }\n" : "");
  }
  config += "volumes: { data: {} }\nenvironments: { dev: {} }\n";
  model::DesiredState built = build(config, std::string(kCanary));
  REQUIRE(built.services.size() == 1000);

  // The best of five runs: the machine is shared, and a run that lost the processor
  // measures the machine, not the code.
  using Clock = std::chrono::steady_clock;
  auto milliseconds = [](Clock::duration elapsed) {
    return std::chrono::duration<double, std::milli>(elapsed).count();
  };
  double write_ms = 1e9, read_ms = 1e9, resolve_ms = 1e9;
  std::string json;
  model::DesiredState restored;
  for (int run = 0; run < 5; ++run) {
    Clock::time_point start = Clock::now();
    json = state_to_json(built);
    Clock::time_point written = Clock::now();
    restored = parse_ok(json);
    Clock::time_point read = Clock::now();
    REQUIRE(resolve_secrets(restored, scope_with({{"PASSWORD", std::string(kCanary)}})));
    Clock::time_point resolved = Clock::now();
    write_ms = std::min(write_ms, milliseconds(written - start));
    read_ms = std::min(read_ms, milliseconds(read - written));
    resolve_ms = std::min(resolve_ms, milliseconds(resolved - read));
  }
  MESSAGE("1,000 services, " << json.size() / 1024 << " KiB, best of 5: write " << write_ms
                             << " ms, read " << read_ms << " ms, resolve secrets " << resolve_ms
                             << " ms");
  CHECK(write_ms + read_ms < 100);
  CHECK(restored.services.back().config_hash == built.services.back().config_hash);
  CHECK(json.find(kCanary) == std::string::npos);
}

}  // namespace run::history
