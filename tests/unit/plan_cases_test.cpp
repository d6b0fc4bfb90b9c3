// Golden plans: each folder of tests/cases/ holds a configuration (run-config.yaml and
// overlays), observed.json (the live state, see observed_fixture.h) and the expected plan as
// canonical text (expected.txt) and JSON (expected.json). UPDATE_GOLDEN=1 rewrites the
// expected files; review the diff before committing it.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/build_resolution.h"
#include "app/local_workspace.h"
#include "config/config_loader.h"
#include "config/desired_state_builder.h"
#include "observed_fixture.h"
#include "plan/build_causes.h"
#include "plan/drift.h"
#include "plan/planner.h"
#include "render/plan_json.h"

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

struct CaseOutput {
  std::string text;
  std::string json;
};

/// The desired state of the project in `folder`, its build contexts read and hashed.
run::model::DesiredState desired_in(const fs::path& folder) {
  run::config::FilesystemSource files(folder.string());
  run::config::LoadRequest request;
  request.process_environment = {{"RUN_SECRET_PASSWORD", "golden-secret"}};
  auto loaded = run::config::load_config(files, request);
  REQUIRE_MESSAGE(
      loaded.ok(), folder.string()
                       << ": "
                       << (loaded.ok() ? "" : run::format_diagnostic(loaded.errors().front())));
  run::model::DesiredState desired = run::config::build_desired_state(*loaded);
  run::app::LocalWorkspace workspace("", std::nullopt);
  run::Status built = run::app::resolve_builds(workspace, folder.string(), desired, std::nullopt);
  REQUIRE_MESSAGE(
      built.ok(),
      folder.string() << ": "
                      << (built.ok() ? "" : run::format_diagnostic(built.errors().front())));
  return desired;
}

/// A case may hold `recorded/`: the project as the last deployment record had it (its own
/// run-config.yaml and build contexts). The plan is then compared with it, as apply does.
CaseOutput plan_case(const fs::path& folder) {
  run::model::DesiredState desired = desired_in(folder);
  auto observed = run::testing::load_observed_fixture(read_text(folder / "observed.json"), desired);
  REQUIRE_MESSAGE(observed.ok(), folder.string());
  run::plan::PlanOptions options;
  options.prune_volumes = fs::exists(folder / "prune-volumes");
  run::plan::Plan plan = run::plan::make_plan(desired, *observed, options);
  if (fs::exists(folder / "recorded")) {
    run::model::DesiredState recorded = desired_in(folder / "recorded");
    run::plan::classify_drift(plan, desired, *observed, &recorded, 1);
    run::plan::explain_builds(plan, desired, &recorded);
  }
  return {run::plan::to_text(plan), run::render::plan_json(plan)};
}

}  // namespace

TEST_CASE("planner: every golden case in tests/cases plans as expected") {
  fs::path cases = fs::path(RUN_SOURCE_DIR) / "tests" / "cases";
  bool update = std::getenv("UPDATE_GOLDEN") != nullptr;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(cases)) {
    if (!entry.is_directory()) continue;
    CaseOutput output = plan_case(entry.path());
    if (update) {
      std::ofstream(entry.path() / "expected.txt") << output.text;
      std::ofstream(entry.path() / "expected.json") << output.json;
    }
    CAPTURE(entry.path().filename().string());
    CHECK(output.text == read_text(entry.path() / "expected.txt"));
    CHECK(output.json == read_text(entry.path() / "expected.json"));
    ++checked;
  }
  CHECK(checked >= 10);
}
