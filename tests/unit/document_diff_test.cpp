#include "model/document_diff.h"

#include <doctest/doctest.h>

#include "render/document_diff_render.h"
#include "test_support.h"

namespace run::model {

namespace {

DocumentDiff diff_of(std::string_view a, std::string_view b) {
  return diff_documents(test::parse_ok(a, "a.yaml"), test::parse_ok(b, "b.yaml"));
}

/// One line per difference: "~ path", "+ path", "- path".
std::string outline(const DocumentDiff& diff) {
  std::string out;
  for (const FieldDifference& difference : diff.differences) {
    char symbol = difference.kind == DifferenceKind::kChanged ? '~'
                  : difference.kind == DifferenceKind::kAdded ? '+'
                                                              : '-';
    out += std::string(1, symbol) + " " + difference.path + "\n";
  }
  return out;
}

Node secret(std::string value, SourceLocation location) {
  Node node = make_scalar(NodeKind::kString, std::move(value), std::move(location));
  node.sensitive = true;
  return node;
}

const render::DiffSide kStaging{"staging", "", "", ""};
const render::DiffSide kProduction{"production", "HEAD~1",
                                   "3f2a1bc0000000000000000000000000000000aa", "3f2a1bc"};

}  // namespace

TEST_CASE("document diff: identical documents have no differences, whatever the key order") {
  DocumentDiff diff = diff_of("a: 1\nb: {c: [x, y]}\n", "b: {c: [x, y]}\na: 1\n");
  CHECK(diff.identical());
  CHECK(diff.summary().total() == 0);
}

TEST_CASE(
    "document diff: changed, added and removed fields, sorted by path, each side with its origin") {
  DocumentDiff diff = diff_of(
      "services:\n  worker:\n    replicas: 2\n    env: {OLD: x}\n  app:\n    image: app:1\n",
      "services:\n  app:\n    image: app:2\n  worker:\n    replicas: 8\n    env: {NEW: y}\n");
  CHECK(outline(diff) ==
        "~ services.app.image\n"
        "+ services.worker.env.NEW\n"
        "- services.worker.env.OLD\n"
        "~ services.worker.replicas\n");
  const FieldDifference& image = diff.differences[0];
  REQUIRE(image.a);
  REQUIRE(image.b);
  CHECK(image.a->text == "app:1");
  CHECK(image.a->location.to_string() == "a.yaml:6:12");
  CHECK(image.b->text == "app:2");
  CHECK(image.b->location.to_string() == "b.yaml:3:12");
  CHECK(image.steps == std::vector<std::string>{"services", "app", "image"});
  const FieldDifference& added = diff.differences[1];
  CHECK(added.kind == DifferenceKind::kAdded);
  CHECK_FALSE(added.a);
  CHECK(added.b->text == "y");
  CHECK_FALSE(diff.differences[2].b);
  DiffSummary summary = diff.summary();
  CHECK(summary.changed == 2);
  CHECK(summary.added == 1);
  CHECK(summary.removed == 1);
}

TEST_CASE("document diff: a service only on one side is listed field by field") {
  DocumentDiff diff = diff_of(
      "services: {}\n",
      "services:\n  cache:\n    image: redis:7\n    ports: [\"6379:6379\"]\n    labels: {}\n");
  CHECK(outline(diff) ==
        "+ services.cache.image\n"
        "+ services.cache.labels\n"
        "+ services.cache.ports[0]\n");
}

TEST_CASE("document diff: lists are compared item by item, indexes in numeric order") {
  DocumentDiff diff = diff_of("p: [a, b, c, d, e, f, g, h, i, j, k]\n",
                              "p: [a, B, c, d, e, f, g, h, i, j, K, l]\n");
  CHECK(outline(diff) == "~ p[1]\n~ p[10]\n+ p[11]\n");
  CHECK(outline(diff_of("p: [a, b]\n", "p: [a]\n")) == "- p[1]\n");
}

TEST_CASE("document diff: values are compared as values, not as text") {
  CHECK(diff_of("a: yes\nb: ~\nc: abc\n", "a: true\nb: null\nc: \"abc\"\n").identical());
  CHECK(outline(diff_of("a: 2\n", "a: \"2\"\n")) == "~ a\n");
  CHECK(outline(diff_of("a: true\n", "a: false\n")) == "~ a\n");
  CHECK(outline(diff_of("a: 1.0\n", "a: 1\n")) == "~ a\n");
}

TEST_CASE(
    "document diff: a map on one side and a scalar on the other is one change of the whole value") {
  DocumentDiff diff = diff_of("healthcheck: {test: [CMD, true]}\n", "healthcheck: null\n");
  CHECK(outline(diff) == "~ healthcheck\n");
  CHECK(diff.differences[0].a->kind == NodeKind::kMap);
  CHECK(diff.differences[0].b->kind == NodeKind::kNull);
}

TEST_CASE("document diff: a secret is compared by value but never rendered") {
  Node a = make_map({});
  Node b = make_map({});
  a.set(MapEntry{"PASSWORD", {}, secret("old-canary-value", {"a.yaml", 3, 5})});
  b.set(MapEntry{"PASSWORD", {}, secret("new-canary-value", {"b.yaml", 4, 5})});
  a.set(MapEntry{"SAME", {}, secret("same-canary", {"a.yaml", 5, 5})});
  b.set(MapEntry{"SAME", {}, secret("same-canary", {"b.yaml", 5, 5})});
  a.set(MapEntry{"PLAIN", {}, make_scalar(NodeKind::kString, "shared-text", {"a.yaml", 6, 5})});
  b.set(MapEntry{"PLAIN", {}, secret("shared-text", {"b.yaml", 6, 5})});
  DocumentDiff diff = diff_documents(a, b);
  CHECK(outline(diff) == "~ PASSWORD\n~ PLAIN\n");
  for (const std::string& shown :
       {render::document_diff_text(diff, kStaging, kProduction, render::Color::kNo),
        render::document_diff_markdown(diff, kStaging, kProduction),
        render::document_diff_json(diff, kStaging, kProduction)}) {
    CHECK(shown.find("canary") == std::string::npos);
    CHECK(shown.find("(sensitive)") != std::string::npos);
  }
}

TEST_CASE(
    "document diff text: a header naming both sides, one line per field with origins, a summary") {
  DocumentDiff diff =
      diff_of("services:\n  app:\n    image: app:1\n    env: {OLD: x}\n    ports: []\n",
              "services:\n  app:\n    image: app:2\n    env: {NEW: \"8080:80\"}\n    ports: []\n");
  CHECK(render::document_diff_text(diff, kStaging, kProduction, render::Color::kNo) ==
        "--- a: staging (working tree)\n"
        "+++ b: HEAD~1:production (3f2a1bc)\n"
        "\n"
        "  + services.app.env.NEW = \"8080:80\"  # b.yaml:4\n"
        "  - services.app.env.OLD = x  # a.yaml:4\n"
        "  ~ services.app.image: app:1 -> app:2  # a.yaml:3 -> b.yaml:3\n"
        "\n"
        "3 fields differ: 1 changed, 1 added (only in HEAD~1:production), 1 removed (only in "
        "staging).\n");
}

TEST_CASE("document diff text: identical sides say so") {
  DocumentDiff diff = diff_of("a: 1\n", "a: 1\n");
  CHECK(render::document_diff_text(diff, kStaging, kProduction, render::Color::kNo) ==
        "--- a: staging (working tree)\n"
        "+++ b: HEAD~1:production (3f2a1bc)\n"
        "\n"
        "No differences: staging and HEAD~1:production render the same state.\n");
}

TEST_CASE("document diff markdown: a table of fields with each side's value and origin") {
  DocumentDiff diff = diff_of("a: x|y\nb: 1\n", "a: \"`z`\"\n");
  CHECK(
      render::document_diff_markdown(diff, kStaging, kProduction) ==
      "**2 fields differ: 1 changed, 0 added (only in HEAD~1:production), 1 removed (only in "
      "staging).**\n"
      "\n"
      "#### `run diff` `staging` (working tree) → `HEAD~1:production` (`3f2a1bc`)\n"
      "\n"
      "| | field | `staging` | `HEAD~1:production` |\n"
      "|---|---|---|---|\n"
      "| 🟡 `~` | `a` | `x\\|y`<br><sub>a.yaml:1</sub> | `` \"`z`\" ``<br><sub>b.yaml:1</sub> |\n"
      "| 🔴 `-` | `b` | `1`<br><sub>a.yaml:2</sub> |  |\n");
}

TEST_CASE("document diff markdown: fields past the size limit are counted, not cut") {
  std::string a, b;
  for (int i = 0; i < 100; ++i) a += "key" + std::to_string(i) + ": value\n";
  DocumentDiff diff = diff_of(a, b.empty() ? "{}\n" : b);
  std::string markdown = render::document_diff_markdown(diff, kStaging, kProduction, 2000);
  CHECK(markdown.size() <= 2000);
  CHECK(markdown.find("more fields not shown") != std::string::npos);
}

TEST_CASE("document diff json: sides, summary and each field with typed values and origins") {
  DocumentDiff diff = diff_of("replicas: 2\nname: a\n", "replicas: 8\nextra: [1]\n");
  CHECK(render::document_diff_json(diff, kStaging, kProduction) ==
        "{\n"
        "  \"format_version\": \"1\",\n"
        "  \"a\": {\"label\": \"staging\", \"environment\": \"staging\", \"revision\": null, "
        "\"commit\": null},\n"
        "  \"b\": {\"label\": \"HEAD~1:production\", \"environment\": \"production\", "
        "\"revision\": \"HEAD~1\", "
        "\"commit\": \"3f2a1bc0000000000000000000000000000000aa\"},\n"
        "  \"identical\": false,\n"
        "  \"summary\": {\"changed\": 1, \"added\": 1, \"removed\": 1},\n"
        "  \"differences\": [\n"
        "    {\"path\": \"extra[0]\", \"steps\": [\"extra\", \"0\"], \"change\": \"added\",\n"
        "     \"a\": null,\n"
        "     \"b\": {\"value\": 1, \"origin\": \"b.yaml:2\", \"sensitive\": false}},\n"
        "    {\"path\": \"name\", \"steps\": [\"name\"], \"change\": \"removed\",\n"
        "     \"a\": {\"value\": \"a\", \"origin\": \"a.yaml:2\", \"sensitive\": false},\n"
        "     \"b\": null},\n"
        "    {\"path\": \"replicas\", \"steps\": [\"replicas\"], \"change\": \"changed\",\n"
        "     \"a\": {\"value\": 2, \"origin\": \"a.yaml:1\", \"sensitive\": false},\n"
        "     \"b\": {\"value\": 8, \"origin\": \"b.yaml:1\", \"sensitive\": false}}\n"
        "  ]\n"
        "}\n");
  CHECK(render::document_diff_json(diff_of("a: 1\n", "a: 1\n"), kStaging, kProduction)
            .find("\"differences\": []\n}") != std::string::npos);
}

}  // namespace run::model
