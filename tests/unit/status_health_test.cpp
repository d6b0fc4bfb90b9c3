// run status says why a replica is unhealthy: the last output of its health check, read from
// the container's inspect, with the service's secrets redacted, in text and in JSON.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "docker/health_log.h"
#include "model/names.h"
#include "plan/environment_status.h"
#include "plan/plan.h"
#include "render/status_render.h"

namespace run {

namespace {

model::ObservedContainer replica(int number, std::string health) {
  model::ObservedContainer container;
  container.id = "c" + std::to_string(number);
  container.name = "shop-dev-web-" + std::to_string(number);
  container.image = "busybox:web";
  container.state = "running";
  container.health = std::move(health);
  container.labels = {{model::kLabelService, "web"},
                      {model::kLabelReplica, std::to_string(number)}};
  return container;
}

model::DesiredState shop_with_secret() {
  model::DesiredState desired;
  desired.project = "shop";
  desired.environment = "dev";
  model::ServiceSpec web;
  web.name = "web";
  web.image = "busybox:web";
  web.replicas = 3;
  web.env["TOKEN"] = model::EnvValue{"hunter2-token", true, "f1", "${secret:TOKEN}"};
  desired.services.push_back(web);
  return desired;
}

/// web-1 healthy, web-2 and web-3 unhealthy, web-3's check naming the secret.
model::ObservedState two_unhealthy() {
  model::ObservedState observed;
  observed.containers.push_back(replica(1, "healthy"));
  observed.containers.push_back(replica(3, "unhealthy"));
  observed.containers.back().last_health_check =
      model::HealthCheckOutput{3, "backend refused hunter2-token"};
  observed.containers.push_back(replica(2, "unhealthy"));
  observed.containers.back().last_health_check = model::HealthCheckOutput{1, ""};
  return observed;
}

plan::EnvironmentStatus status_of_shop() {
  plan::Plan plan;
  return plan::environment_status(shop_with_secret(), two_unhealthy(), plan);
}

}  // namespace

TEST_CASE("status: each unhealthy replica's last health check, by replica, secrets redacted") {
  plan::EnvironmentStatus status = status_of_shop();
  REQUIRE(status.services.size() == 1);
  const plan::ServiceStatus& web = status.services[0];
  CHECK(web.unhealthy == 2);
  REQUIRE(web.unhealthy_replicas.size() == 2);
  CHECK(web.unhealthy_replicas[0] == plan::UnhealthyReplica{2, {1, ""}});
  CHECK(web.unhealthy_replicas[1] == plan::UnhealthyReplica{3, {3, "backend refused (sensitive)"}});
}

TEST_CASE("status text: a line for each unhealthy replica saying what its check said") {
  std::string text = render::status_text(status_of_shop(), render::Color::kNo);
  CHECK(text.find("web-2 is unhealthy; its last health check exited 1 with no output\n") !=
        std::string::npos);
  CHECK(text.find("web-3 is unhealthy; its last health check exited 3: backend refused "
                  "(sensitive)\n") != std::string::npos);
  CHECK(text.find("web-1 is unhealthy") == std::string::npos);
  CHECK(text.find("hunter2") == std::string::npos);
}

TEST_CASE("status JSON: unhealthy_replicas with the last health check, empty when healthy") {
  std::string json = render::status_json(status_of_shop());
  rapidjson::Document document;
  document.Parse(json.c_str());
  REQUIRE_FALSE(document.HasParseError());
  const rapidjson::Value& unhealthy = document["services"][0]["unhealthy_replicas"];
  REQUIRE(unhealthy.Size() == 2);
  CHECK(unhealthy[1]["replica"].GetInt() == 3);
  CHECK(unhealthy[1]["last_health_check"]["exit_code"].GetInt() == 3);
  CHECK(std::string(unhealthy[1]["last_health_check"]["output"].GetString()) ==
        "backend refused (sensitive)");

  plan::Plan plan;
  model::ObservedState healthy;
  healthy.containers.push_back(replica(1, "healthy"));
  document.Parse(
      render::status_json(plan::environment_status(shop_with_secret(), healthy, plan)).c_str());
  CHECK(document["services"][0]["unhealthy_replicas"].Size() == 0);
}

TEST_CASE("health log: the last runs of a check from an inspect's State, outputs trimmed") {
  rapidjson::Document state;
  state.Parse(R"({"Status": "running", "Health": {"Status": "unhealthy", "Log": [
      {"ExitCode": 0, "Output": "ok\n"}, {"ExitCode": 1, "Output": "  refused\n"},
      {"ExitCode": 2, "Output": "timeout"}]}})");
  std::vector<model::HealthCheckOutput> last = docker::health_outputs_of(state, 2);
  REQUIRE(last.size() == 2);
  CHECK(last[0] == model::HealthCheckOutput{1, "refused"});
  CHECK(last[1] == model::HealthCheckOutput{2, "timeout"});
  rapidjson::Document without;
  without.Parse(R"({"Status": "running"})");
  CHECK(docker::health_outputs_of(without, 2).empty());
}

}  // namespace run
