#include <doctest/doctest.h>

#include "config/desired_state_builder.h"
#include "model/service_fields.h"
#include "test_support.h"

namespace run::config {

namespace {

constexpr std::string_view kConfig =
    "version: \"2\"\n"
    "project: shop\n"
    "services:\n"
    "  web:\n"
    "    image: busybox:web\n"
    "    command: echo hi\n"
    "    env: { PASSWORD: \"${secret:PASSWORD}\", PORT: 8080, EMPTY: }\n"
    "    ports: [\"127.0.0.1:8080:80/udp\"]\n"
    "    volumes: [\"data:/srv:ro\", \"./conf:/etc/conf\"]\n"
    "    healthcheck: { test: \"wget -q localhost\", interval: 1m30s, retries: 3 }\n"
    "    resources: { cpu: 0.5, memory: 1G }\n"
    "    restart: always\n"
    "    replicas: 1\n"
    "    depends_on: [db]\n"
    "    update: { order: start-first }\n"
    "  db: { image: busybox:db }\n"
    "volumes: { data: {} }\n"
    "networks: { back: { internal: true } }\n"
    "environments: { dev: {} }\n";

model::DesiredState build(std::string_view config, std::string secret = "s3cret") {
  MemorySource files = test::files_with(config);
  LoadRequest request;
  request.process_environment = {{"RUN_SECRET_PASSWORD", std::move(secret)}};
  return build_desired_state(test::load_ok(files, request));
}

std::string with(std::string_view from, std::string_view to) {
  std::string text(kConfig);
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("desired state: services are typed and canonical") {
  model::DesiredState state = build(kConfig);
  CHECK(state.project == "shop");
  CHECK(state.environment == "dev");
  REQUIRE(state.services.size() == 2);
  CHECK(state.services[0].name == "db");  // sorted by name
  const model::ServiceSpec& web = state.services[1];
  CHECK(*web.command == std::vector<std::string>{"/bin/sh", "-c", "echo hi"});
  CHECK(web.env.at("PORT").value == "8080");
  CHECK(web.env.at("EMPTY").value.empty());
  CHECK(web.env.at("PASSWORD").sensitive);
  CHECK(web.env.at("PASSWORD").fingerprint.size() == 16);
  CHECK(model::port_text(web.ports[0]) == "127.0.0.1:8080:80/udp");
  CHECK(web.volumes[0].kind == model::MountKind::kVolume);
  CHECK(web.volumes[0].read_only);
  CHECK(web.volumes[1].kind == model::MountKind::kBind);
  CHECK(web.healthcheck->test == std::vector<std::string>{"CMD-SHELL", "wget -q localhost"});
  CHECK(web.healthcheck->interval_ms == 90'000);
  CHECK(*web.in_place.cpus == doctest::Approx(0.5));
  CHECK(*web.in_place.memory_bytes == 1073741824);
  CHECK(web.in_place.restart == "always");
  CHECK(web.replicas == 1);
  CHECK(web.depends_on.front().service == "db");
  CHECK(web.update_order == model::UpdateOrder::kStartFirst);
  REQUIRE(state.networks.size() == 2);
  CHECK(state.networks[0].name == "default");
  CHECK(state.networks[1].internal);
  CHECK(state.volumes.front().name == "data");
}

TEST_CASE(
    "desired state: the config hash ignores replicas, depends_on, update order, cpu, memory and "
    "restart") {
  std::string hash = build(kConfig).services[1].config_hash;
  CHECK(hash.size() == 64);
  CHECK(build(with("replicas: 1", "replicas: 0")).services[1].config_hash == hash);
  CHECK(build(with("depends_on: [db]", "depends_on: []")).services[1].config_hash == hash);
  CHECK(build(with("order: start-first", "order: stop-first")).services[1].config_hash == hash);
  CHECK(build(with("cpu: 0.5, memory: 1G", "cpu: 2, memory: 2G")).services[1].config_hash == hash);
  CHECK(build(with("restart: always", "restart: \"no\"")).services[1].config_hash == hash);
}

TEST_CASE(
    "desired state: the config hash changes with the image, the command, an env value, a rotated "
    "secret") {
  std::string hash = build(kConfig).services[1].config_hash;
  CHECK(build(with("busybox:web", "busybox:web2")).services[1].config_hash != hash);
  CHECK(build(with("command: echo hi", "command: echo bye")).services[1].config_hash != hash);
  CHECK(build(with("PORT: 8080", "PORT: 8081")).services[1].config_hash != hash);
  CHECK(build(kConfig, "rotated").services[1].config_hash != hash);
}

TEST_CASE("desired state: a secret's value is in no field map that is stored or shown") {
  model::DesiredState state = build(kConfig, "canary-value-123");
  model::FieldMap shown =
      model::recreate_fields(state.services[1], model::SecretForm::kFingerprint);
  CHECK(shown.at("env.PASSWORD") ==
        "(sensitive:" + state.services[1].env.at("PASSWORD").fingerprint + ")");
  CHECK(model::field_map_to_json(shown).find("canary-value-123") == std::string::npos);
}

}  // namespace run::config
