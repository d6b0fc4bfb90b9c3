#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "docker/swarm_service_body.h"
#include "docker/swarm_service_reader.h"
#include "model/names.h"
#include "plan/drift.h"
#include "plan/swarm_planner.h"

namespace run::plan {

namespace {

/// A service with every field the swarm maps set away from its default.
model::ServiceSpec full_service() {
  model::ServiceSpec web;
  web.name = "web";
  web.image = "shop/web:1.0";
  web.command = std::vector<std::string>{"serve", "--port", "80"};
  web.entrypoint = std::vector<std::string>{"/bin/tini", "--"};
  web.env = {{"MODE", {"prod", false, "", ""}},
             {"TOKEN", {"s3cret", true, "fp-token", "${secret:TOKEN}"}}};
  web.ports = {{"", 8080, 80, "tcp"}};
  web.volumes = {{model::MountKind::kVolume, "data", "/data", false},
                 {model::MountKind::kBind, "/etc/shop", "/conf", true}};
  web.networks = {"backend"};
  web.labels = {{"team", "shop"}};
  web.healthcheck = model::HealthCheck{{"CMD", "true"}, 1000, 2000, 500, 3};
  web.init = true;
  web.user = "1000";
  web.working_dir = "/srv";
  web.stop_signal = "SIGINT";
  web.stop_grace_period_ms = 30000;
  web.in_place.cpus = 0.5;
  web.in_place.memory_bytes = 256LL << 20;
  web.replicas = 3;
  web.update_order = model::UpdateOrder::kStartFirst;
  web.swarm.constraints = {"node.labels.zone==a"};
  web.swarm.preferences = {"node.labels.rack"};
  web.swarm.max_replicas_per_node = 2;
  web.swarm.endpoint_mode = "dnsrr";
  web.swarm.restart_condition = "on-failure";
  web.swarm.reserved_cpus = 0.25;
  web.swarm.reserved_memory_bytes = 64LL << 20;
  web.swarm.update = {2, 5000, "rollback", 10000, 0.5, false};
  web.swarm.rollback = {1, 0, "continue", 5000, 0, true};
  return web;
}

model::DesiredState desired_with(std::vector<model::ServiceSpec> services) {
  model::DesiredState desired;
  desired.project = "shop";
  desired.environment = "prod";
  desired.target = model::DeployTarget::kSwarm;
  desired.services = std::move(services);
  desired.networks = {{"default", false, {}}, {"backend", false, {}}};
  return desired;
}

/// The environment's networks, as the manager lists them.
model::ObservedState observed_networks() {
  model::ObservedState observed;
  observed.networks = {{"net-default", "shop-prod", {{model::kLabelResource, "default"}}},
                       {"net-backend", "shop-prod-backend", {{model::kLabelResource, "backend"}}}};
  return observed;
}

/// What GET /services answers for a service made from `spec`: the body run sends, with the
/// networks named by id as the manager keeps them, and the manager's own fields around it.
model::ObservedService as_the_manager_holds(const model::ServiceSpec& spec,
                                            std::uint64_t version = 7,
                                            std::pair<std::string, std::string> edit = {}) {
  std::string body =
      docker::swarm_service_body(spec, docker::SwarmServicePlacement{"shop", "prod", "4", 0});
  if (!edit.first.empty()) body.replace(body.find(edit.first), edit.first.size(), edit.second);
  for (auto [name, id] : {std::pair{"\"shop-prod-backend\"", "\"net-backend\""},
                          std::pair{"\"shop-prod\"", "\"net-default\""}})
    for (std::size_t at = body.find(name); at != std::string::npos; at = body.find(name))
      body.replace(at, std::string(name).size(), id);
  std::string item = "{\"ID\":\"svc-" + spec.name +
                     "\",\"Version\":{\"Index\":" + std::to_string(version) + "},\"Spec\":" + body +
                     "}";
  rapidjson::Document json;
  json.Parse(item.c_str());
  REQUIRE_FALSE(json.HasParseError());
  std::map<std::string, std::string> networks = {{"net-default", "default"},
                                                 {"net-backend", "backend"}};
  return docker::observed_service_of(json, networks, "shop-prod-");
}

const Action* find_action(const Plan& plan, ResourceKind resource, ActionKind kind) {
  for (const Action& action : plan.actions)
    if (action.resource == resource && action.kind == kind) return &action;
  return nullptr;
}

}  // namespace

TEST_CASE("swarm: a service read back from the manager plans nothing, every field set") {
  model::DesiredState desired = desired_with({full_service()});
  model::ObservedState observed = observed_networks();
  observed.services.push_back(as_the_manager_holds(desired.services[0]));
  Plan plan = make_swarm_plan(desired, observed);
  CHECK(plan.errors.empty());
  CHECK(to_text(plan) == "no changes\n");
}

TEST_CASE("swarm: a default service read back plans nothing, and carries run's labels") {
  model::ServiceSpec plain;
  plain.name = "worker";
  plain.image = "shop/worker:2";
  model::DesiredState desired = desired_with({plain});
  model::ObservedState observed = observed_networks();
  observed.services.push_back(as_the_manager_holds(plain));
  CHECK(make_swarm_plan(desired, observed).actions.empty());
  CHECK(observed.services[0].labels.at(model::kLabelImage) == "shop/worker:2");
  CHECK(observed.services[0].labels.at(model::kLabelDeployment) == "4");
  CHECK(observed.services[0].version == 7);
}

TEST_CASE("swarm: an image pinned to a digest by the manager is compared as written") {
  model::ServiceSpec plain;
  plain.name = "worker";
  plain.image = "shop/worker:2";
  model::DesiredState desired = desired_with({plain});
  model::ObservedState observed = observed_networks();
  observed.services.push_back(as_the_manager_holds(
      plain, 7, {"\"Image\":\"shop/worker:2\"", "\"Image\":\"shop/worker:2@sha256:abc\""}));
  CHECK(observed.services[0].spec.image == "shop/worker:2");
  CHECK(make_swarm_plan(desired, observed).actions.empty());

  // Another image set by hand is a change.
  observed.services = {as_the_manager_holds(
      plain, 7, {"\"Image\":\"shop/worker:2\"", "\"Image\":\"shop/worker:3\""})};
  CHECK(make_swarm_plan(desired, observed).actions.size() == 1);
}

TEST_CASE("swarm: an image change updates the service, naming its version, and restarts tasks") {
  model::DesiredState desired = desired_with({full_service()});
  model::ObservedState observed = observed_networks();
  model::ServiceSpec old = full_service();
  old.image = "shop/web:0.9";
  observed.services.push_back(as_the_manager_holds(old, 12));
  observed.services[0].force_update = 3;
  Plan plan = make_swarm_plan(desired, observed);
  REQUIRE(plan.actions.size() == 1);
  const Action& update = plan.actions[0];
  CHECK(update.kind == ActionKind::kUpdate);
  CHECK(update.resource == ResourceKind::kService);
  CHECK(update.name == "shop-prod-web");
  CHECK(update.existing_id == "svc-web");
  CHECK(update.service_version == 12);
  CHECK(update.force_update == 3);
  CHECK(update.restarts_tasks);
  CHECK(to_text(plan) ==
        "update service shop-prod-web (web): image changed\n"
        "  image: shop/web:0.9 -> shop/web:1.0\n");
}

TEST_CASE("swarm: scaling and rollout settings update the service without restarting tasks") {
  model::DesiredState desired = desired_with({full_service()});
  model::ObservedState observed = observed_networks();
  model::ServiceSpec fewer = full_service();
  fewer.replicas = 2;
  observed.services.push_back(as_the_manager_holds(fewer));
  Plan plan = make_swarm_plan(desired, observed);
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].reason == "scaled from 2 to 3");
  CHECK_FALSE(plan.actions[0].restarts_tasks);

  model::ServiceSpec slower = full_service();
  slower.swarm.update.parallelism = 1;
  observed.services = {as_the_manager_holds(slower)};
  plan = make_swarm_plan(desired, observed);
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].reason == "update changed");
  CHECK(plan.actions[0].changes.front().path == "update.parallelism");
  CHECK_FALSE(plan.actions[0].restarts_tasks);
}

TEST_CASE("swarm: a secret changed on the service by hand is a change, never shown") {
  model::DesiredState desired = desired_with({full_service()});
  model::ObservedState observed = observed_networks();
  observed.services.push_back(as_the_manager_holds(full_service()));
  observed.services[0].spec.env["TOKEN"].value = "typed-by-hand";
  Plan plan = make_swarm_plan(desired, observed);
  REQUIRE(plan.actions.size() == 1);
  REQUIRE(plan.actions[0].changes.size() == 1);
  const FieldChange& change = plan.actions[0].changes[0];
  CHECK(change.path == "env.TOKEN");
  CHECK(change.sensitive);
  CHECK(to_text(plan).find("typed-by-hand") == std::string::npos);
  CHECK(to_text(plan).find("s3cret") == std::string::npos);
}

TEST_CASE("swarm: a new environment creates its networks and services; destroy removes them") {
  model::DesiredState desired = desired_with({full_service()});
  Plan plan = make_swarm_plan(desired, model::ObservedState{});
  CHECK(to_text(plan) ==
        "create network shop-prod: the environment's network\n"
        "create network shop-prod-backend: new network\n"
        "create service shop-prod-web (web): new service\n");

  model::ObservedState observed = observed_networks();
  observed.services.push_back(as_the_manager_holds(full_service()));
  model::DesiredState nothing = desired_with({});
  nothing.networks.clear();
  plan = make_swarm_plan(nothing, observed, {false, PlanPurpose::kDestroy});
  CHECK(to_text(plan) ==
        "remove service shop-prod-web (web): environment destroyed\n"
        "remove network shop-prod: environment destroyed\n"
        "remove network shop-prod-backend: environment destroyed\n");
}

TEST_CASE("swarm: a service of another owner with one of the names is an error, and no action") {
  model::DesiredState desired = desired_with({full_service()});
  model::ObservedState observed = observed_networks();
  observed.foreign_services = {"shop-prod-web"};
  Plan plan = make_swarm_plan(desired, observed);
  CHECK(plan.actions.empty());
  REQUIRE(plan.errors.size() == 1);
  CHECK(plan.errors[0].message ==
        "service 'shop-prod-web' already exists and was not created by run for shop/prod");
}

TEST_CASE("swarm: a rollout the manager paused is resumed even when no field differs") {
  model::DesiredState desired = desired_with({full_service()});
  model::ObservedState observed = observed_networks();
  observed.services.push_back(as_the_manager_holds(full_service()));
  observed.services[0].update_state = "paused";
  observed.services[0].update_message = "update paused due to failure";
  Plan plan = make_swarm_plan(desired, observed);
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].reason == "its rollout is paused (update paused due to failure): resumed");
  CHECK(plan.actions[0].restarts_tasks);
}

TEST_CASE("swarm: a change by hand is live drift, a change in the config a desired one") {
  model::DesiredState desired = desired_with({full_service()});
  model::DesiredState recorded = desired;
  model::ObservedState observed = observed_networks();
  model::ServiceSpec by_hand = full_service();
  by_hand.env["MODE"].value = "debug";
  observed.services.push_back(as_the_manager_holds(by_hand));
  Plan plan = make_swarm_plan(desired, observed);
  classify_drift(plan, desired, observed, &recorded, 3);
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].drift == DriftCause::kLiveDrift);

  desired.services[0].replicas = 5;
  observed.services = {as_the_manager_holds(full_service())};
  plan = make_swarm_plan(desired, observed);
  classify_drift(plan, desired, observed, &recorded, 3);
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].drift == DriftCause::kDesiredChange);
}

}  // namespace run::plan
