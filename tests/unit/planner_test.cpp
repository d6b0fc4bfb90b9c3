#include <doctest/doctest.h>

#include "config/desired_state_builder.h"
#include "model/names.h"
#include "model/service_fields.h"
#include "plan/planner.h"
#include "test_support.h"

namespace run::plan {

namespace {

constexpr std::string_view kConfig =
    "version: \"2\"\n"
    "project: shop\n"
    "services:\n"
    "  web: { image: busybox:web, depends_on: { api: healthy } }\n"
    "  api: { image: busybox:api, depends_on: [db], env: { TOKEN: \"${secret:TOKEN}\" } }\n"
    "  db: { image: busybox:db }\n"
    "  cache: { image: busybox:cache }\n"
    "environments: { dev: {} }\n";

model::DesiredState desired(std::string token = "t1") {
  config::MemorySource files = test::files_with(kConfig);
  config::LoadRequest request;
  request.process_environment = {{"RUN_SECRET_TOKEN", std::move(token)}};
  return config::build_desired_state(test::load_ok(files, request));
}

/// A running container exactly as run would have made it for `spec`.
model::ObservedContainer matching(const model::DesiredState& state, const model::ServiceSpec& spec,
                                  int replica = 1) {
  model::ObservedContainer container;
  container.id = "id-" + spec.name + std::to_string(replica);
  container.name = model::container_name(state.project, state.environment, spec.name, replica);
  container.state = "running";
  container.labels = {{model::kLabelProject, state.project},
                      {model::kLabelEnvironment, state.environment},
                      {model::kLabelService, spec.name},
                      {model::kLabelReplica, std::to_string(replica)},
                      {model::kLabelConfigHash, spec.config_hash},
                      {model::kLabelSpec, model::field_map_to_json(model::recreate_fields(
                                              spec, model::SecretForm::kFingerprint))}};
  return container;
}

model::ObservedState converged(const model::DesiredState& state) {
  model::ObservedState observed;
  for (const auto& spec : state.services) observed.containers.push_back(matching(state, spec));
  observed.networks.push_back({"n", "shop-dev", {}});
  return observed;
}

}  // namespace

TEST_CASE("planner: services come after what they depend on, names breaking ties") {
  model::DesiredState state = desired();
  std::vector<std::string> order;
  for (const auto* service : dependency_order(state)) order.push_back(service->name);
  CHECK(order == std::vector<std::string>{"cache", "db", "api", "web"});
}

TEST_CASE("planner: an unchanged environment plans nothing") {
  model::DesiredState state = desired();
  Plan plan = make_plan(state, converged(state));
  CHECK_FALSE(plan.has_changes());
  CHECK(to_text(plan) == "no changes\n");
}

TEST_CASE("planner: a changed image replaces only that service's containers") {
  model::DesiredState state = desired();
  model::ObservedState observed = converged(state);
  state.services[0].image = "busybox:api2";  // api
  state.services[0].config_hash = "changed";
  Plan plan = make_plan(state, observed);
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].kind == ActionKind::kReplace);
  CHECK(plan.actions[0].service == "api");
  CHECK(plan.actions[0].replace_fields == std::vector<std::string>{"image"});
  CHECK(plan.actions[0].reason == "image changed");
}

TEST_CASE("planner: a rotated secret replaces, shows which key changed, never the value") {
  model::DesiredState before = desired("old-token");
  model::ObservedState observed = converged(before);
  Plan plan = make_plan(desired("new-token"), observed);
  REQUIRE(plan.actions.size() == 1);
  const Action& action = plan.actions[0];
  CHECK(action.kind == ActionKind::kReplace);
  REQUIRE(action.changes.size() == 1);
  CHECK(action.changes[0] == FieldChange{"env.TOKEN", "(sensitive)", "(sensitive)", true});
  CHECK(to_text(plan).find("token") == std::string::npos);
}

TEST_CASE("planner: a volume no longer in the config is removed only with prune_volumes") {
  model::DesiredState state = desired();
  model::ObservedState observed = converged(state);
  observed.volumes.push_back({"shop-dev-old", {}});
  CHECK_FALSE(make_plan(state, observed).has_changes());
  Plan pruned = make_plan(state, observed, PlanOptions{true});
  REQUIRE(pruned.actions.size() == 1);
  CHECK(pruned.actions[0].kind == ActionKind::kRemove);
  CHECK(pruned.actions[0].resource == ResourceKind::kVolume);
}

TEST_CASE("planner: a name held by a foreign container is an error and the plan has no actions") {
  model::DesiredState state = desired();
  model::ObservedState observed;
  model::ObservedContainer foreign;
  foreign.name = "shop-dev-db-1";
  observed.foreign_containers.push_back(foreign);
  Plan plan = make_plan(state, observed);
  CHECK(plan.actions.empty());
  REQUIRE(plan.errors.size() == 1);
  CHECK(plan.errors[0].message ==
        "container 'shop-dev-db-1' already exists and was not created by run for shop/dev");
}

TEST_CASE("planner: a stopped container whose cpu also changed is updated in place, then started") {
  model::DesiredState state = desired();
  model::ObservedState observed = converged(state);
  state.services[1].in_place.cpus = 1.0;  // cache
  observed.containers[1].state = "exited";
  observed.containers[1].cpus = 2.0;
  Plan plan = make_plan(state, observed);
  REQUIRE(plan.actions.size() == 2);
  CHECK(plan.actions[0].kind == ActionKind::kUpdate);
  CHECK(plan.actions[0].changes[0] == FieldChange{"resources.cpu", "2", "1", false});
  CHECK(plan.actions[1].kind == ActionKind::kStart);
  CHECK(plan.actions[1].reason == "not running (exited)");
}

TEST_CASE("planner: a cpu or memory limit the config removed replaces the container") {
  // Docker's update endpoint reads 0 as "unchanged": an update could never lift the limit.
  model::DesiredState state = desired();
  model::ObservedState observed = converged(state);
  observed.containers[1].state = "exited";  // cache
  observed.containers[1].cpus = 2.0;
  observed.containers[1].restart = "always";
  Plan plan = make_plan(state, observed);
  REQUIRE(plan.actions.size() == 1);
  CHECK(plan.actions[0].kind == ActionKind::kReplace);
  CHECK(plan.actions[0].reason == "resources.cpu removed (Docker cannot lift a limit in place)");
  CHECK(plan.actions[0].replace_fields == std::vector<std::string>{"resources.cpu"});
  CHECK(plan.actions[0].changes ==
        std::vector<FieldChange>{{"resources.cpu", "2", std::nullopt, false},
                                 {"restart", "always", std::nullopt, false}});
}

TEST_CASE("planner: make_plan is deterministic") {
  model::DesiredState state = desired();
  model::ObservedState observed;
  CHECK(to_text(make_plan(state, observed)) == to_text(make_plan(state, observed)));
}

TEST_CASE(
    "planner: creates wait for depends_on and carry their image; updates and removals wait for "
    "nothing") {
  model::DesiredState state = desired();
  Plan created = make_plan(state, model::ObservedState{});
  for (const Action& action : created.actions) {
    if (action.service != "web") continue;
    CHECK(action.image == "busybox:web");
    REQUIRE(action.wait_for.size() == 1);
    CHECK(action.wait_for[0].service == "api");
    CHECK(action.wait_for[0].condition == model::DependencyCondition::kHealthy);
  }
  model::ObservedState observed = converged(state);
  observed.containers.back().restart = "always";  // web: an in-place update
  Plan updated = make_plan(state, observed);
  REQUIRE(updated.actions.size() == 1);
  CHECK(updated.actions[0].kind == ActionKind::kUpdate);
  CHECK(updated.actions[0].wait_for.empty());
  CHECK(updated.actions[0].image.empty());
}

}  // namespace run::plan
