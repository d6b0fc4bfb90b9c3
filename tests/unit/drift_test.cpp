// Drift triage (plan/drift.h): each action of a plan is classified against the desired state
// of the last successful deployment record: a desired change (the config moved since), live
// drift (the containers moved since) or both. The record is built here as history gives it
// back: secrets without their values, fingerprints and references kept, no config hash.
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/desired_state_builder.h"
#include "observed_fixture.h"
#include "plan/drift.h"
#include "plan/planner.h"
#include "render/plan_json.h"
#include "render/plan_markdown.h"
#include "render/plan_text.h"
#include "test_support.h"

namespace run::plan {

namespace {

/// The config of the last successful deployment (record #12 in these tests).
constexpr std::string_view kDeployed =
    "version: \"2\"\n"
    "project: shop\n"
    "services:\n"
    "  db:\n"
    "    image: busybox:db\n"
    "    env: { PASSWORD: \"${secret:PASSWORD}\" }\n"
    "    volumes: [\"data:/var/lib/db\"]\n"
    "  web:\n"
    "    image: busybox:web\n"
    "    depends_on: [db]\n"
    "    networks: [backend]\n"
    "    resources: { memory: 256M }\n"
    "  worker:\n"
    "    image: busybox:worker\n"
    "    replicas: 2\n"
    "networks: { backend: {} }\n"
    "volumes: { data: {} }\n"
    "environments:\n"
    "  dev: {}\n";

constexpr int kRecord = 12;

model::DesiredState state_of(std::string_view config, std::string password = "pw-1") {
  config::MemorySource files = test::files_with(config);
  config::LoadRequest request;
  request.process_environment = {{"RUN_SECRET_PASSWORD", std::move(password)}};
  return config::build_desired_state(test::load_ok(files, request));
}

/// kDeployed with `from` replaced by `to` (once): the config as it is now.
std::string edited(std::string_view from, std::string_view to,
                   std::string config = std::string(kDeployed)) {
  std::size_t at = config.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "no '" << from << "' in the config");
  return config.replace(at, from.size(), to);
}

/// The state as a deployment record gives it back: a secret without its value (its
/// fingerprint and reference kept), no config hash.
model::DesiredState as_recorded(model::DesiredState state) {
  for (model::ServiceSpec& service : state.services) {
    service.config_hash.clear();
    for (auto& [name, env] : service.env)
      if (env.sensitive) env.value.clear();
  }
  return state;
}

/// What the daemon holds, in the fixture format of observed_fixture.h, with containers
/// matching the deployed state unless a container entry says otherwise.
struct Live {
  std::string containers =
      R"([{"service": "db"}, {"service": "web"}, {"service": "worker", "replica": 1}, {"service": "worker", "replica": 2}])";
  std::string networks = R"(["shop-dev", "shop-dev-backend"])";
  std::string volumes = R"(["shop-dev-data"])";
};

model::ObservedState observed(const model::DesiredState& deployed, const Live& live = {}) {
  std::string json =
      R"({"images": {"busybox:db": "sha256:d1", "busybox:web": "sha256:w1", "busybox:worker": "sha256:k1"}, )";
  json += "\"containers\": " + live.containers + ", \"networks\": " + live.networks +
          ", \"volumes\": " + live.volumes + "}";
  Result<model::ObservedState> state = testing::load_observed_fixture(json, deployed);
  REQUIRE(state.ok());
  return *state;
}

/// make_plan, then classify_drift against the record of `deployed`.
Plan triaged(const model::DesiredState& desired, const model::DesiredState& deployed,
             const model::ObservedState& live, PlanOptions options = {}) {
  Plan plan = make_plan(desired, live, options);
  model::DesiredState recorded = as_recorded(deployed);
  classify_drift(plan, desired, live, &recorded, kRecord);
  return plan;
}

/// "ACTION NAME: CAUSE" per action: what the tests compare.
std::string causes(const Plan& plan) {
  std::string text;
  for (const Action& action : plan.actions)
    text += std::string(to_string(action.kind)) + " " +
            (action.resource == ResourceKind::kContainer
                 ? ""
                 : std::string(to_string(action.resource)) + " ") +
            action.name + ": " + (action.drift ? std::string(to_string(*action.drift)) : "(none)") +
            "\n";
  return text;
}

std::string causes(std::string_view desired_config, const Live& live, std::string password = "pw-1",
                   PlanOptions options = {}) {
  model::DesiredState deployed = state_of(kDeployed);
  model::DesiredState desired = state_of(desired_config, std::move(password));
  return causes(triaged(desired, deployed, observed(deployed, live), options));
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The problems schemas/plan.schema.json finds in `json`; empty when it validates.
std::string schema_problems(const std::string& json) {
  rapidjson::Document schema_json;
  std::string schema_text =
      read_text(std::filesystem::path(RUN_SOURCE_DIR) / "schemas" / "plan.schema.json");
  schema_json.Parse(schema_text.c_str());
  REQUIRE_FALSE(schema_json.HasParseError());
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::RapidJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  rapidjson::Document plan;
  plan.Parse(json.c_str());
  REQUIRE_FALSE(plan.HasParseError());
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::RapidJsonAdapter target(plan);
  if (validator.validate(schema, target, &results)) return {};
  std::string problems = "invalid";
  valijson::ValidationResults::Error error;
  while (results.popError(error)) problems += "\n" + error.description;
  return problems;
}

}  // namespace

TEST_CASE("drift: without a record no action has a cause and every rendering is as before") {
  model::DesiredState deployed = state_of(kDeployed);
  model::DesiredState desired = state_of(edited("busybox:web", "busybox:web2"));
  model::ObservedState live =
      observed(deployed, {.containers = R"([{"service": "db"}, {"service": "web"}])"});
  Plan plan = make_plan(desired, live);
  std::string text = render::plan_text(plan), markdown = render::plan_markdown(plan),
              json = render::plan_json(plan);
  classify_drift(plan, desired, live, nullptr, kRecord);
  CHECK_FALSE(plan.drift_record);
  CHECK(causes(plan) ==
        "replace shop-dev-web-1: (none)\n"
        "create shop-dev-worker-1: (none)\n"
        "create shop-dev-worker-2: (none)\n");
  CHECK(render::plan_text(plan) == text);
  CHECK(render::plan_markdown(plan) == markdown);
  CHECK(render::plan_json(plan) == json);
  CHECK(text.find("Since deployment") == std::string::npos);
  CHECK(text.find('[') == std::string::npos);
  CHECK(markdown.find("Cause") == std::string::npos);
  CHECK(json.find("drift") == std::string::npos);
  CHECK(json.find("compared_with_record") == std::string::npos);
}

TEST_CASE("drift: a config change the containers have not seen is a desired change") {
  CHECK(causes(edited("busybox:web", "busybox:web2"), {}) == "replace shop-dev-web-1: desired\n");
  CHECK(causes(edited("memory: 256M", "memory: 512M"), {}) == "update shop-dev-web-1: desired\n");
}

TEST_CASE("drift: a container removed by hand is live drift") {
  Live live{.containers =
                R"([{"service": "db"}, {"service": "web"}, {"service": "worker", "replica": 1}])"};
  CHECK(causes(kDeployed, live) == "create shop-dev-worker-2: live\n");
}

TEST_CASE("drift: a container stopped by hand is live drift") {
  Live live{
      .containers =
          R"([{"service": "db", "state": "exited"}, {"service": "web"}, {"service": "worker", "replica": 1},
                             {"service": "worker", "replica": 2}])"};
  CHECK(causes(kDeployed, live) == "start shop-dev-db-1: live\n");
}

TEST_CASE("drift: memory changed by hand while the config kept it is live drift") {
  Live live{
      .containers =
          R"([{"service": "db"}, {"service": "web", "memory": "1G"}, {"service": "worker", "replica": 1},
                             {"service": "worker", "replica": 2}])"};
  CHECK(causes(kDeployed, live) == "update shop-dev-web-1: live\n");
}

TEST_CASE("drift: a field changed by hand is live drift even when it forces a replace") {
  Live live{
      .containers =
          R"([{"service": "db"}, {"service": "web", "spec_patch": {"image": "busybox:hotfix"}},
                             {"service": "worker", "replica": 1}, {"service": "worker", "replica": 2}])"};
  CHECK(causes(kDeployed, live) == "replace shop-dev-web-1: live\n");
}

TEST_CASE("drift: an action that both the config and a hand change need is both") {
  SUBCASE("config changed the image, memory changed by hand: one replace") {
    Live live{
        .containers =
            R"([{"service": "db"}, {"service": "web", "memory": "1G"}, {"service": "worker", "replica": 1},
                               {"service": "worker", "replica": 2}])"};
    CHECK(causes(edited("busybox:web", "busybox:web2"), live) == "replace shop-dev-web-1: both\n");
  }
  SUBCASE("config changed the image of a replica removed by hand") {
    Live live{
        .containers =
            R"([{"service": "db"}, {"service": "web"}, {"service": "worker", "replica": 1}])"};
    CHECK(causes(edited("busybox:worker", "busybox:worker2"), live) ==
          "replace shop-dev-worker-1: desired\n"
          "create shop-dev-worker-2: both\n");
  }
  SUBCASE("the config and a hand both changed the same field, to different values") {
    Live live{
        .containers =
            R"([{"service": "db"}, {"service": "web", "memory": "1G"}, {"service": "worker", "replica": 1},
                               {"service": "worker", "replica": 2}])"};
    CHECK(causes(edited("memory: 256M", "memory: 512M"), live) == "update shop-dev-web-1: both\n");
  }
}

TEST_CASE("drift: a hand change that already matches the new config leaves nothing to triage") {
  Live live{
      .containers =
          R"([{"service": "db"}, {"service": "web", "memory": "512M"}, {"service": "worker", "replica": 1},
                             {"service": "worker", "replica": 2}])"};
  CHECK(causes(edited("memory: 256M", "memory: 512M"), live).empty());
}

TEST_CASE("drift: a rotated secret is a desired change, though the record holds no secret value") {
  CHECK(causes(kDeployed, {}, "pw-2") == "replace shop-dev-db-1: desired\n");
  // The record's empty secret value is no change: the same secret compares equal by
  // fingerprint, so a container removed by hand is only live drift...
  Live without_db{
      .containers =
          R"([{"service": "web"}, {"service": "worker", "replica": 1}, {"service": "worker", "replica": 2}])"};
  CHECK(causes(kDeployed, without_db, "pw-1") == "create shop-dev-db-1: live\n");
  // ...and with the secret rotated as well, both.
  CHECK(causes(kDeployed, without_db, "pw-2") == "create shop-dev-db-1: both\n");
}

TEST_CASE(
    "drift: scaling in the config is a desired change; replicas made by hand are live drift") {
  CHECK(causes(edited("replicas: 2", "replicas: 3"), {}) == "create shop-dev-worker-3: desired\n");
  CHECK(causes(edited("replicas: 2", "replicas: 1"), {}) == "remove shop-dev-worker-2: desired\n");
  Live extra{.containers =
                 R"([{"service": "db"}, {"service": "web"}, {"service": "worker", "replica": 1},
                              {"service": "worker", "replica": 2}, {"service": "worker", "replica": 3}])"};
  CHECK(causes(kDeployed, extra) == "remove shop-dev-worker-3: live\n");
}

TEST_CASE("drift: a replica the record did not have, found stopped, is both") {
  Live live{.containers =
                R"([{"service": "db"}, {"service": "web"}, {"service": "worker", "replica": 1},
                             {"service": "worker", "replica": 2}, {"service": "worker", "replica": 3, "state": "exited"}])"};
  CHECK(causes(edited("replicas: 2", "replicas: 3"), live) == "start shop-dev-worker-3: both\n");
}

TEST_CASE(
    "drift: a stray container and a container of a service the record never had are live drift") {
  Live live{.containers =
                R"([{"service": "db"}, {"service": "web"}, {"service": "worker", "replica": 1},
                             {"service": "worker", "replica": 2}, {"service": "worker", "replica": 1, "name": "shop-dev-worker-1-old"},
                             {"service": "cache"}])"};
  CHECK(causes(kDeployed, live) ==
        "remove shop-dev-worker-1-old: live\n"
        "remove shop-dev-cache-1: live\n");
}

TEST_CASE("drift: a service the config dropped is a desired change") {
  std::string config = edited("  worker:\n    image: busybox:worker\n    replicas: 2\n", "");
  CHECK(causes(config, {}) ==
        "remove shop-dev-worker-1: desired\n"
        "remove shop-dev-worker-2: desired\n");
}

TEST_CASE("drift: an image rebuilt behind its tag is live drift") {
  Live live{
      .containers =
          R"([{"service": "db"}, {"service": "web", "image_id": "sha256:w0"}, {"service": "worker", "replica": 1},
                             {"service": "worker", "replica": 2}])"};
  CHECK(causes(kDeployed, live) == "replace shop-dev-web-1: live\n");
}

TEST_CASE("drift: networks and volumes, by presence in the record") {
  SUBCASE("a network removed by hand is live drift; one made by hand too") {
    Live live{.networks = R"(["shop-dev", "shop-dev-old"])"};
    CHECK(causes(kDeployed, live) ==
          "create network shop-dev-backend: live\n"
          "remove network shop-dev-old: live\n");
  }
  SUBCASE("a network the config adds or drops is a desired change") {
    std::string added = edited("networks: { backend: {} }", "networks: { backend: {}, cache: {} }");
    CHECK(causes(added, {}) == "create network shop-dev-cache: desired\n");
    std::string dropped =
        edited("networks: { backend: {} }\n", "", edited("    networks: [backend]\n", ""));
    CHECK(causes(dropped, {}) ==
          "replace shop-dev-web-1: desired\n"
          "remove network shop-dev-backend: desired\n");
  }
  SUBCASE("volumes: removed by hand, added by the config, dropped by the config, made by hand") {
    Live removed{.volumes = "[]"};
    CHECK(causes(kDeployed, removed) == "create volume shop-dev-data: live\n");
    CHECK(causes(edited("volumes: { data: {} }", "volumes: { data: {}, cache: {} }"), {}) ==
          "create volume shop-dev-cache: desired\n");
    std::string dropped =
        edited("volumes: { data: {} }\n", "", edited("    volumes: [\"data:/var/lib/db\"]\n", ""));
    Live scratch{.volumes = R"(["shop-dev-data", "shop-dev-scratch"])"};
    CHECK(causes(dropped, scratch, "pw-1", PlanOptions{.prune_volumes = true}) ==
          "replace shop-dev-db-1: desired\n"
          "remove volume shop-dev-data: desired\n"
          "remove volume shop-dev-scratch: live\n");
  }
}

TEST_CASE("drift: the summary counts each cause") {
  Live live{
      .containers =
          R"([{"service": "db"}, {"service": "web", "memory": "1G"}, {"service": "worker", "replica": 1, "state": "exited"}])"};
  model::DesiredState deployed = state_of(kDeployed);
  Plan plan = triaged(state_of(edited("busybox:web", "busybox:web2"), "pw-2"), deployed,
                      observed(deployed, live));
  DriftSummary summary = drift_summary(plan);
  CHECK(summary.desired == 1);  // db's rotated secret
  CHECK(summary.live == 2);     // worker-1 stopped, worker-2 removed
  CHECK(summary.both == 1);     // web: new image, memory changed by hand
  CHECK(plan.drift_record == kRecord);
}

namespace {

/// One plan with each cause: web's image changed in the config (desired), worker 1 removed
/// by hand (live), db's secret rotated while its memory was limited by hand (both).
Plan mixed_plan() {
  Live live{
      .containers =
          R"([{"service": "db", "memory": "64M"}, {"service": "web"}, {"service": "worker", "replica": 2}])"};
  model::DesiredState deployed = state_of(kDeployed);
  return triaged(state_of(edited("busybox:web", "busybox:web2"), "pw-2"), deployed,
                 observed(deployed, live));
}

}  // namespace

TEST_CASE("drift: the text plan tags each action and says what it was compared with") {
  CHECK(render::plan_text(mixed_plan()) ==
        "Plan for shop/dev\n\n"
        "  -/+ replace container shop-dev-db-1  (env.PASSWORD changed)  [desired change + live "
        "drift]\n"
        "      ~ env.PASSWORD: (sensitive) -> (sensitive)   # forces replacement\n"
        "      - resources.memory = 64M\n"
        "  -/+ replace container shop-dev-web-1  (image changed)  [desired change]\n"
        "      ~ image: busybox:web -> busybox:web2   # forces replacement\n"
        "  +   create container shop-dev-worker-1  (missing)  [live drift]\n\n"
        "Plan: 1 to add, 0 to change, 2 to replace, 0 to start, 0 to remove.\n"
        "Since deployment #12: 1 desired change, 1 live drift, 1 both.\n");
  std::string coloured = render::plan_text(mixed_plan(), render::Color::kYes);
  CHECK(coloured.find("\033[33m[live drift]") != std::string::npos);
}

TEST_CASE(
    "drift: the markdown plan has a cause column, a note on what it was compared with, and tagged "
    "diffs") {
  std::string markdown = render::plan_markdown(mixed_plan());
  CHECK(markdown ==
        "**Plan: 1 to add, 0 to change, 2 to replace, 0 to start, 0 to remove.**\n"
        "<!-- run-plan:dev -->\n\n"
        "#### `run plan` for shop / dev\n\n"
        "Since deployment #12: 1 desired change, 1 live drift, 1 both. _Desired change: the "
        "configuration moved since "
        "that deployment. Live drift: the containers moved since it (removed, stopped or changed "
        "outside `run`)._\n\n"
        "| Action | Kind | Name | Why | Cause |\n"
        "|---|---|---|---|---|\n"
        "| 🟣 `-/+` replace | container | `shop-dev-db-1` | env.PASSWORD changed | desired "
        "change + **live drift** |\n"
        "| 🟣 `-/+` replace | container | `shop-dev-web-1` | image changed | desired change |\n"
        "| 🟢 `+` create | container | `shop-dev-worker-1` | missing | **live drift** |\n"
        "\n"
        "<details><summary><code>db</code>: 1 action</summary>\n\n"
        "```diff\n"
        "# replace shop-dev-db-1 (env.PASSWORD changed) [desired change + live drift]\n"
        "- env.PASSWORD: (sensitive)\n"
        "+ env.PASSWORD: (sensitive)\n"
        "- resources.memory: 64M\n"
        "```\n"
        "</details>\n\n"
        "<details><summary><code>web</code>: 1 action</summary>\n\n"
        "```diff\n"
        "# replace shop-dev-web-1 (image changed) [desired change]\n"
        "- image: busybox:web\n"
        "+ image: busybox:web2\n"
        "```\n"
        "</details>\n\n");
}

TEST_CASE(
    "drift: the JSON plan has compared_with_record and a drift per action, and validates against "
    "the schema") {
  std::string json = render::plan_json(mixed_plan());
  CHECK(json.find("  \"has_changes\": true,\n  \"compared_with_record\": 12,\n") !=
        std::string::npos);
  CHECK(json.find("\"name\": \"shop-dev-db-1\", \"reason\": \"env.PASSWORD changed\", \"drift\": "
                  "\"both\",") != std::string::npos);
  CHECK(
      json.find(
          "\"name\": \"shop-dev-web-1\", \"reason\": \"image changed\", \"drift\": \"desired\",") !=
      std::string::npos);
  CHECK(
      json.find("\"name\": \"shop-dev-worker-1\", \"reason\": \"missing\", \"drift\": \"live\",") !=
      std::string::npos);
  CHECK(json.find("pw-2") == std::string::npos);
  CHECK(schema_problems(json) == "");
}

TEST_CASE("drift: the schema refuses a drift cause it does not know") {
  std::string json = render::plan_json(mixed_plan());
  std::string::size_type at = json.find("\"drift\": \"live\"");
  REQUIRE(at != std::string::npos);
  CHECK_FALSE(schema_problems(json.replace(at, 15, "\"drift\": \"hand\"")).empty());
}

TEST_CASE("drift: a plan with no changes says nothing of drift") {
  model::DesiredState deployed = state_of(kDeployed);
  Plan plan = triaged(deployed, deployed, observed(deployed));
  CHECK(plan.drift_record == kRecord);
  CHECK(render::plan_text(plan) ==
        "Plan for shop/dev\n\n"
        "No changes.\n"
        "The containers of shop/dev match the configuration.\n");
}

}  // namespace run::plan
