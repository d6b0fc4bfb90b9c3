// The JSON of every golden plan validates against schemas/plan.schema.json: the contract
// scripts rely on and the output cannot drift apart.
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <doctest/doctest.h>

#include <rapidjson/document.h>
#include "render/plan_json.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// schemas/plan.schema.json, parsed once per test case.
struct PlanSchema {
  rapidjson::Document json;
  valijson::Schema schema;

  PlanSchema() {
    std::string text = read_text(fs::path(RUN_SOURCE_DIR) / "schemas" / "plan.schema.json");
    json.Parse(text.c_str());
    REQUIRE_FALSE(json.HasParseError());
    valijson::SchemaParser parser;
    valijson::adapters::RapidJsonAdapter adapter(json);
    parser.populateSchema(adapter, schema);
  }

  /// What the schema finds wrong with `plan_text`, one line each; empty when it validates.
  std::string problems(const std::string& plan_text) const {
    rapidjson::Document plan;
    plan.Parse(plan_text.c_str());
    if (plan.HasParseError()) return "not JSON\n";
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::RapidJsonAdapter target(plan);
    if (validator.validate(schema, target, &results)) return {};
    std::string found;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) found += error.description + "\n";
    return found.empty() ? "invalid\n" : found;
  }
};

}  // namespace

TEST_CASE("plan JSON: every golden plan validates against schemas/plan.schema.json") {
  PlanSchema schema;
  int validated = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(RUN_SOURCE_DIR) / "tests" / "cases")) {
    if (!fs::exists(entry.path() / "expected.json")) continue;
    CAPTURE(entry.path().filename().string());
    CHECK(schema.problems(read_text(entry.path() / "expected.json")) == "");
    ++validated;
  }
  CHECK(validated >= 10);
}

TEST_CASE("plan JSON: a plan that breaks the contract is refused by the schema") {
  PlanSchema schema;
  CHECK(schema.problems(
            R"({"format_version": "1", "project": "p", "environment": "e", "has_changes": true,
    "summary": {"create": 1, "update": 0, "replace": 0, "start": 0, "remove": 0},
    "actions": [{"action": "explode", "kind": "container", "service": "s", "replica": 1, "name": "n",
                 "reason": "r", "changes": [], "forces_replace": []}], "errors": []})") != "");
}

TEST_CASE(
    "plan JSON: a swarm plan (services created, updated with their version, removed) "
    "validates") {
  PlanSchema schema;
  run::plan::Plan swarm_plan;
  swarm_plan.project = "shop";
  swarm_plan.environment = "prod";
  swarm_plan.target = run::model::DeployTarget::kSwarm;
  run::plan::Action create;
  create.resource = run::plan::ResourceKind::kService;
  create.service = "api";
  create.name = "shop-prod-api";
  create.reason = "new service";
  run::plan::Action update = create;
  update.kind = run::plan::ActionKind::kUpdate;
  update.service = "web";
  update.name = "shop-prod-web";
  update.reason = "image changed";
  update.service_version = 12;
  update.changes = {{"image", "web:1", "web:2", false}};
  run::plan::Action remove = create;
  remove.kind = run::plan::ActionKind::kRemove;
  remove.reason = "not in config";
  swarm_plan.actions = {create, update, remove};
  std::string text = run::render::plan_json(swarm_plan);
  CHECK(text.find("\"service_version\": 12") != std::string::npos);
  CHECK(schema.problems(text) == "");
}
