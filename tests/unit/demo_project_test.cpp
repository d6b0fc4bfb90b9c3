#include <doctest/doctest.h>

#include "config/config_loader.h"
#include "config/desired_state_builder.h"
#include "test_support.h"

// The demo project at the top of the repository (run-config.yaml and environments/) loads
// for each environment with the values the README promises.

namespace run::config {

namespace {

LoadRequest demo_request(std::string environment) {
  LoadRequest request = test::request_for(std::move(environment));
  // The database password is a secret nobody has in a test; validate-like loads only warn.
  request.missing_secret = MissingSecret::kWarning;
  return request;
}

const model::Node& at(const model::Node& root, std::string_view path) {
  const model::Node* node = model::lookup(root, *model::parse_path(path));
  REQUIRE_MESSAGE(node != nullptr, "no value at " << path);
  return *node;
}

}  // namespace

TEST_CASE("demo project: production has 8 workers and a 2-cpu, 1G app") {
  FilesystemSource files(RUN_SOURCE_DIR);
  LoadedConfig config = test::load_ok(files, demo_request("production"));
  CHECK(config.environment == "production");
  CHECK(config.environments == std::vector<std::string>{"dev", "staging", "production"});
  REQUIRE(config.layers.size() == 2);
  CHECK(config.layers[1].file == "environments/production.yaml");

  const model::Node& replicas = at(config.merged, "services.worker.replicas");
  CHECK(replicas.kind == model::NodeKind::kInt);
  CHECK(replicas.text == "8");
  CHECK(replicas.location.file == "environments/production.yaml");
  const model::Node& cpu = at(config.merged, "services.app.resources.cpu");
  CHECK(cpu.kind == model::NodeKind::kFloat);
  CHECK(cpu.text == "2.0");
  CHECK(at(config.merged, "services.app.resources.memory").text == "1G");
  CHECK(at(config.merged, "services.app.env.FEATURE_MONITORING").text == "true");
  CHECK(at(config.merged, "services.app.env.FEATURE_MONITORING").kind == model::NodeKind::kString);
  CHECK(at(config.merged, "services.app.image").text == "tsp/app");
  CHECK(at(config.merged, "services.app.build.context").text == "demo/app");
  CHECK(at(config.merged, "services.app.build.args.LOG_LEVEL").text == "info");
  CHECK(at(config.merged, "services.app.ports[0]").text == "8080:8080");
  CHECK(at(config.merged, "environments.production.protected").text == "true");
}

TEST_CASE("demo project: dev has 2 workers and debugging flags") {
  FilesystemSource files(RUN_SOURCE_DIR);
  LoadedConfig config = test::load_ok(files, demo_request("dev"));
  CHECK(at(config.merged, "services.worker.replicas").text == "2");
  CHECK(at(config.merged, "services.app.resources.cpu").text == "1.0");
  CHECK(at(config.merged, "services.app.resources.memory").text == "512M");
  CHECK(at(config.merged, "services.app.env.FEATURE_HOT_RELOAD").text == "true");
  CHECK(at(config.merged, "services.app.env.FEATURE_DEBUG_MODE").text == "true");
  const model::Node& level = at(config.merged, "services.app.build.args.LOG_LEVEL");
  CHECK(level.text == "debug");
  CHECK(level.location.file == "environments/dev.yaml");
}

TEST_CASE("demo project: merge keys give every service the shared defaults") {
  FilesystemSource files(RUN_SOURCE_DIR);
  LoadedConfig config = test::load_ok(files, demo_request("dev"));
  for (const char* service : {"db", "app", "worker"}) {
    CAPTURE(service);
    const model::Node& node = at(config.merged, std::string("services.") + service);
    CHECK(node.find("<<") == nullptr);
    CHECK(at(node, "restart").text == "unless-stopped");
    CHECK(at(node, "init").kind == model::NodeKind::kBool);
  }
  CHECK(at(config.merged, "services.worker.build.context").text == "demo/worker");
}

TEST_CASE("demo project: the database password is a secret") {
  FilesystemSource files(RUN_SOURCE_DIR);
  LoadRequest request = demo_request("production");
  request.missing_secret = MissingSecret::kError;
  request.process_environment = {{"RUN_SECRET_DB_PASSWORD", "pw"}};
  LoadedConfig config = test::load_ok(files, request);
  CHECK(config.warnings.empty());
  CHECK(at(config.merged, "services.db.env.POSTGRES_PASSWORD").sensitive);
}

TEST_CASE("demo project: the database suite's tasks, and db-migrate before each new app image") {
  FilesystemSource files(RUN_SOURCE_DIR);
  LoadedConfig config = test::load_ok(files, demo_request("dev"));
  model::DesiredState desired = build_desired_state(config);
  std::vector<std::string> names;
  for (const model::TaskSpec& task : desired.tasks) names.push_back(task.name);
  CHECK(names ==
        std::vector<std::string>{"db-backup", "db-migrate", "db-restore", "db-stats", "db-vacuum"});
  const model::TaskSpec* migrate = desired.find_task("db-migrate");
  REQUIRE(migrate != nullptr);
  CHECK(migrate->when == model::TaskWhen::kPreDeploy);
  CHECK(migrate->run_if_changed == std::vector<std::string>{"services.app.image"});
  for (const model::TaskSpec& task : desired.tasks) {
    CAPTURE(task.name);
    CHECK(task.image == "run-demo/postgres:15");
    CHECK(task.user == "root");
    CHECK(task.env.at("PGPASSWORD").sensitive);
  }
}

TEST_CASE("demo project: every environment validates with no error") {
  FilesystemSource files(RUN_SOURCE_DIR);
  LoadRequest request;
  request.missing_secret = MissingSecret::kWarning;
  Diagnostics diagnostics = validate_config(files, request);
  CHECK_FALSE(has_errors(diagnostics));
  // The missing secret is one warning per place that names it (the db service and the
  // database tasks' shared settings), not one per environment.
  CHECK(diagnostics.size() == 2);
}

}  // namespace run::config
