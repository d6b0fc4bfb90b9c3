#include <doctest/doctest.h>

#include "render/plan_json.h"
#include "render/plan_markdown.h"
#include "render/plan_text.h"

namespace run::render {

namespace {

plan::Action action(plan::ActionKind kind, std::string name, std::string reason) {
  plan::Action a;
  a.kind = kind;
  a.resource = plan::ResourceKind::kContainer;
  a.service = "web";
  a.replica = 1;
  a.name = std::move(name);
  a.reason = std::move(reason);
  return a;
}

plan::Plan sample() {
  plan::Plan plan;
  plan.project = "shop";
  plan.environment = "dev";
  plan::Action replace = action(plan::ActionKind::kReplace, "shop-dev-web-1", "image changed");
  replace.changes = {{"image", "web:1", "web:2", false},
                     {"env.TOKEN", "(sensitive)", "(sensitive)", true}};
  replace.replace_fields = {"image", "env.TOKEN"};
  plan.actions = {action(plan::ActionKind::kCreate, "shop-dev-web-2", "scale up 1 -> 2"), replace,
                  action(plan::ActionKind::kRemove, "shop-dev-old-1", "not in config")};
  return plan;
}

}  // namespace

TEST_CASE("plan text: symbols, causes, field changes and the summary line") {
  std::string text = plan_text(sample());
  CHECK(text ==
        "Plan for shop/dev\n\n"
        "  +   create container shop-dev-web-2  (scale up 1 -> 2)\n"
        "  -/+ replace container shop-dev-web-1  (image changed)\n"
        "      ~ image: web:1 -> web:2   # forces replacement\n"
        "      ~ env.TOKEN: (sensitive) -> (sensitive)   # forces replacement\n"
        "  -   remove container shop-dev-old-1  (not in config)\n\n"
        "Plan: 1 to add, 0 to change, 1 to replace, 0 to start, 1 to remove.\n");
}

TEST_CASE("plan text: colour only when asked") {
  CHECK(plan_text(sample(), Color::kNo).find('\033') == std::string::npos);
  CHECK(plan_text(sample(), Color::kYes).find("\033[32m+") != std::string::npos);
}

TEST_CASE("plan text: an empty plan says No changes.") {
  plan::Plan plan;
  plan.project = "shop";
  plan.environment = "dev";
  CHECK(summary_line(plan) == "No changes.");
  CHECK(plan_text(plan).find("No changes.") != std::string::npos);
}

TEST_CASE("plan markdown: summary first, the marker, a caution on removals, a diff per service") {
  std::string markdown = plan_markdown(sample());
  CHECK(markdown.starts_with(
      "**Plan: 1 to add, 0 to change, 1 to replace, 0 to start, 1 to remove.**\n"));
  CHECK(markdown.find("<!-- run-plan:dev -->") != std::string::npos);
  CHECK(markdown.find("> [!CAUTION]\n> This plan removes 1 object: container `shop-dev-old-1`.") !=
        std::string::npos);
  CHECK(markdown.find("<details><summary><code>web</code>: 3 actions</summary>") !=
        std::string::npos);
  CHECK(
      markdown.find(
          "```diff\n# replace shop-dev-web-1 (image changed)\n- image: web:1\n+ image: web:2\n") !=
      std::string::npos);
}

TEST_CASE(
    "plan markdown: a huge plan stays under the limit and says how many actions it left out") {
  plan::Plan plan = sample();
  for (int i = 0; i < 5000; ++i)
    plan.actions.push_back(
        action(plan::ActionKind::kCreate, "shop-dev-web-" + std::to_string(i + 3), "scale up"));
  std::string markdown = plan_markdown(plan);
  CHECK(markdown.size() < kMarkdownLimit);
  CHECK(markdown.find("more actions not shown") != std::string::npos);
}

TEST_CASE("plan json: summary counts and null for absent fields") {
  std::string json = plan_json(sample());
  CHECK(json.find("\"summary\": {\"create\": 1, \"update\": 0, \"replace\": 1, \"start\": 0, "
                  "\"remove\": 1, \"build\": 0}") != std::string::npos);
  CHECK(json.find("{\"path\": \"env.TOKEN\", \"before\": \"(sensitive)\", \"after\": "
                  "\"(sensitive)\", \"sensitive\": true}") != std::string::npos);
  CHECK(json.find("\"forces_replace\": [\"image\", \"env.TOKEN\"]") != std::string::npos);
}

}  // namespace run::render
