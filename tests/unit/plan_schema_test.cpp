// The JSON of every golden plan validates against schemas/plan.schema.json: the contract
// scripts rely on and the output cannot drift apart.
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <doctest/doctest.h>

#include "render/plan_json.h"
#include <rapidjson/document.h>

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

}  // namespace

TEST_CASE("plan JSON: every golden plan validates against schemas/plan.schema.json") {
  rapidjson::Document schema_json;
  std::string schema_text = read_text(fs::path(RUN_SOURCE_DIR) / "schemas" / "plan.schema.json");
  schema_json.Parse(schema_text.c_str());
  REQUIRE_FALSE(schema_json.HasParseError());
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::RapidJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  int validated = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(RUN_SOURCE_DIR) / "tests" / "cases")) {
    if (!fs::exists(entry.path() / "expected.json")) continue;
    std::string text = read_text(entry.path() / "expected.json");
    rapidjson::Document plan;
    plan.Parse(text.c_str());
    CAPTURE(entry.path().filename().string());
    REQUIRE_FALSE(plan.HasParseError());
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::RapidJsonAdapter target(plan);
    bool valid = validator.validate(schema, target, &results);
    std::string problems;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) problems += error.description + "\n";
    CHECK_MESSAGE(valid, problems);
    ++validated;
  }
  CHECK(validated >= 10);
}

TEST_CASE("plan JSON: a plan that breaks the contract is refused by the schema") {
  rapidjson::Document schema_json;
  std::string schema_text = read_text(fs::path(RUN_SOURCE_DIR) / "schemas" / "plan.schema.json");
  schema_json.Parse(schema_text.c_str());
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::RapidJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  rapidjson::Document plan;
  plan.Parse(R"({"format_version": "1", "project": "p", "environment": "e", "has_changes": true,
    "summary": {"create": 1, "update": 0, "replace": 0, "start": 0, "remove": 0},
    "actions": [{"action": "explode", "kind": "container", "service": "s", "replica": 1, "name": "n",
                 "reason": "r", "changes": [], "forces_replace": []}], "errors": []})");
  valijson::Validator validator;
  valijson::adapters::RapidJsonAdapter target(plan);
  CHECK_FALSE(validator.validate(schema, target, nullptr));
}

TEST_CASE("plan JSON: a swarm plan (services created, updated with their version, removed) "
          "validates") {
  rapidjson::Document schema_json;
  std::string schema_text = read_text(fs::path(RUN_SOURCE_DIR) / "schemas" / "plan.schema.json");
  schema_json.Parse(schema_text.c_str());
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::RapidJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);

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
  rapidjson::Document plan;
  plan.Parse(text.c_str());
  REQUIRE_FALSE(plan.HasParseError());
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::RapidJsonAdapter target(plan);
  bool valid = validator.validate(schema, target, &results);
  std::string problems;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) problems += error.description + "\n";
  CHECK_MESSAGE(valid, problems);
}
