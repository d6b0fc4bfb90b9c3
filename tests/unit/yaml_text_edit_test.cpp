#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "config/yaml_text_edit.h"
#include "test_support.h"

namespace run::config {

namespace {

constexpr const char* kFile = "environments/production.yaml";

/// The text after a successful edit; also checks that it parses back to `value` at `path`.
std::string edited(std::string_view text, const std::vector<std::string>& path,
                   const std::string& value) {
  Result<std::string> result = set_scalar(text, path, value, kFile);
  if (!result) FAIL("unexpected error: " << test::formatted(result.errors()));
  model::Node reparsed = test::parse_ok(*result, kFile);
  const model::Node* node = model::lookup(reparsed, path);
  REQUIRE(node);
  CHECK(node->text == value);
  return *result;
}

/// The one error the edit is refused with, formatted.
std::string refused(std::string_view text, const std::vector<std::string>& path,
                    const std::string& value) {
  Result<std::string> result = set_scalar(text, path, value, kFile);
  if (result) FAIL("expected an error, got:\n" << *result);
  CHECK(result.errors().size() == 1);
  return test::formatted(result.errors());
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start + 1));  // with its line break, "\r\n" too
    start = end + 1;
  }
  return lines;
}

/// What an edit changed, as whole lines: the lines before and after that differ once the
/// common first and last lines are set aside. Every other line is byte-identical.
struct LineChange {
  std::vector<std::string> removed;
  std::vector<std::string> added;
};

LineChange changed_lines(const std::string& before, const std::string& after) {
  std::vector<std::string> old_lines = split_lines(before);
  std::vector<std::string> new_lines = split_lines(after);
  std::size_t head = 0;
  while (head < old_lines.size() && head < new_lines.size() && old_lines[head] == new_lines[head])
    ++head;
  std::size_t tail = 0;
  while (tail + head < old_lines.size() && tail + head < new_lines.size() &&
         old_lines[old_lines.size() - 1 - tail] == new_lines[new_lines.size() - 1 - tail])
    ++tail;
  return {{old_lines.begin() + static_cast<std::ptrdiff_t>(head),
           old_lines.end() - static_cast<std::ptrdiff_t>(tail)},
          {new_lines.begin() + static_cast<std::ptrdiff_t>(head),
           new_lines.end() - static_cast<std::ptrdiff_t>(tail)}};
}

using Lines = std::vector<std::string>;

const std::vector<std::string> kAppImage = {"services", "app", "image"};

constexpr std::string_view kOverlay =
    "# production: bigger, monitored and backed up.\n"
    "services:\n"
    "  app:\n"
    "    # the release train sets this\n"
    "    image: tsp/app:1.4.2   # promoted from staging\n"
    "    env:\n"
    "      LOG_LEVEL: warn\n"
    "\n"
    "  # workers scale with the queue\n"
    "  worker:\n"
    "    replicas: 8\n"
    "# end\n";

}  // namespace

TEST_CASE(
    "yaml text edit: a plain scalar is replaced where it stands; comments and every other line "
    "stay") {
  std::string after = edited(kOverlay, kAppImage, "tsp/app:1.4.3");
  LineChange change = changed_lines(std::string(kOverlay), after);
  CHECK(change.removed == Lines{"    image: tsp/app:1.4.2   # promoted from staging\n"});
  CHECK(change.added == Lines{"    image: tsp/app:1.4.3   # promoted from staging\n"});
}

TEST_CASE("yaml text edit: quoted scalars keep their quotes, escaped as their style needs") {
  std::string double_quoted = "services:\n  app:\n    image: \"tsp/app:1.4.2\" # pinned\n";
  CHECK(changed_lines(double_quoted, edited(double_quoted, kAppImage, "tsp/app:1.4.3")).added ==
        Lines{"    image: \"tsp/app:1.4.3\" # pinned\n"});
  CHECK(changed_lines(double_quoted, edited(double_quoted, kAppImage, "say \"hi\" \\o/")).added ==
        Lines{"    image: \"say \\\"hi\\\" \\\\o/\" # pinned\n"});

  std::string single_quoted = "services:\n  app:\n    image: 'tsp/app:1.4.2'\n";
  CHECK(changed_lines(single_quoted, edited(single_quoted, kAppImage, "it's 1.4.3")).added ==
        Lines{"    image: 'it''s 1.4.3'\n"});
  // Single quotes cannot hold a line break as written: double quotes can, escaped.
  CHECK(changed_lines(single_quoted, edited(single_quoted, kAppImage, "two\nlines")).added ==
        Lines{"    image: \"two\\nlines\"\n"});
}

TEST_CASE(
    "yaml text edit: a plain scalar is quoted when plain text would change its type or meaning") {
  std::string text = "services:\n  app:\n    env:\n      VERSION: v1\n";
  const std::vector<std::string> path = {"services", "app", "env", "VERSION"};
  for (const std::string value :
       {"1.10", "yes", "no", "null", "~",    "0755",  "true", "12", "a: b",
        "a #b", "*x",  "&x", "- x",  "!tag", "{x}",   "[x]",  "x:", " x",
        "x ",   "",    "@x", "%x",   "'x'",  "\"x\"", "|",    ">"}) {
    CAPTURE(value);
    std::string after = edited(text, path, value);
    model::Node reparsed = test::parse_ok(after, kFile);
    CHECK(model::lookup(reparsed, path)->kind == model::NodeKind::kString);
    CHECK(changed_lines(text, after).added.front().starts_with("      VERSION: \""));
  }
  // What reads back as a string stays plain, even with ':' or '#' inside a word.
  CHECK(changed_lines(text, edited(text, path, "tsp/app:1.4.3")).added ==
        Lines{"      VERSION: tsp/app:1.4.3\n"});
  CHECK(changed_lines(text, edited(text, path, "a#b")).added == Lines{"      VERSION: a#b\n"});
}

TEST_CASE("yaml text edit: a plain number replaced by a number stays plain") {
  std::string text = "services:\n  app:\n    env:\n      PORT: 8080\n";
  const std::vector<std::string> path = {"services", "app", "env", "PORT"};
  CHECK(changed_lines(text, edited(text, path, "8081")).added == Lines{"      PORT: 8081\n"});
  CHECK(changed_lines(text, edited(text, path, "1.5")).added == Lines{"      PORT: 1.5\n"});
  CHECK(changed_lines(text, edited(text, path, "http")).added == Lines{"      PORT: \"http\"\n"});
}

TEST_CASE("yaml text edit: a missing key is added after its siblings, at their indentation") {
  std::string after = edited(kOverlay, {"services", "app", "env", "FEATURE_X"}, "on");
  LineChange change = changed_lines(std::string(kOverlay), after);
  CHECK(change.removed.empty());
  CHECK(change.added == Lines{"      FEATURE_X: \"on\"\n"});
  CHECK(after.find("      LOG_LEVEL: warn\n      FEATURE_X: \"on\"\n\n  # workers") !=
        std::string::npos);
}

TEST_CASE("yaml text edit: missing parents are created under the deepest existing mapping") {
  std::string worker_image = edited(kOverlay, {"services", "worker", "image"}, "tsp/worker:1.4.3");
  CHECK(changed_lines(std::string(kOverlay), worker_image).added ==
        Lines{"    image: tsp/worker:1.4.3\n"});
  CHECK(worker_image.ends_with("    replicas: 8\n    image: tsp/worker:1.4.3\n# end\n"));

  std::string worker_env = edited(kOverlay, {"services", "worker", "env", "LOG_LEVEL"}, "info");
  CHECK(changed_lines(std::string(kOverlay), worker_env).added ==
        Lines{"    env:\n", "      LOG_LEVEL: info\n"});

  std::string db = edited(kOverlay, {"services", "db", "image"}, "tsp/db:16");
  CHECK(changed_lines(std::string(kOverlay), db).added ==
        Lines{"  db:\n", "    image: tsp/db:16\n"});

  std::string only_top = "# nothing here but this\nx-note: hello\n";
  CHECK(changed_lines(only_top, edited(only_top, kAppImage, "tsp/app:1")).added ==
        Lines{"services:\n", "  app:\n", "    image: tsp/app:1\n"});
}

TEST_CASE("yaml text edit: a file indented by 4 gets new levels indented by 4") {
  std::string text =
      "services:\n"
      "    app:\n"
      "        replicas: 2\n"
      "    worker:\n"
      "        replicas: 3\n";
  CHECK(changed_lines(text, edited(text, {"services", "app", "env", "A"}, "b")).added ==
        Lines{"        env:\n", "            A: b\n"});
  CHECK(changed_lines(text, edited(text, {"services", "db", "image"}, "x")).added ==
        Lines{"    db:\n", "        image: x\n"});
  std::string top_only = "project_note: x\nlabels:\n    a: b\n";
  CHECK(changed_lines(top_only, edited(top_only, kAppImage, "x")).added ==
        Lines{"services:\n", "    app:\n", "        image: x\n"});
}

TEST_CASE("yaml text edit: CRLF line endings are kept, and new lines get them too") {
  std::string text = "# crlf\r\nservices:\r\n  app:\r\n    image: a:1 # c\r\n";
  std::string replaced = edited(text, kAppImage, "a:2");
  CHECK(replaced == "# crlf\r\nservices:\r\n  app:\r\n    image: a:2 # c\r\n");
  std::string inserted = edited(text, {"services", "app", "env", "K"}, "v");
  CHECK(inserted ==
        "# crlf\r\nservices:\r\n  app:\r\n    image: a:1 # c\r\n    env:\r\n      K: v\r\n");
}

TEST_CASE("yaml text edit: a file without a final newline keeps ending without one") {
  std::string text = "services:\n  app:\n    image: a:1";
  CHECK(edited(text, kAppImage, "a:2") == "services:\n  app:\n    image: a:2");
  CHECK(edited(text, {"services", "app", "replicas"}, "x") ==
        "services:\n  app:\n    image: a:1\n    replicas: x");
}

TEST_CASE(
    "yaml text edit: an empty, blank or comment-only file gets the whole path; its comments stay") {
  CHECK(edited("", kAppImage, "tsp/app:1") == "services:\n  app:\n    image: tsp/app:1\n");
  CHECK(edited("\n\n", kAppImage, "tsp/app:1") == "\n\nservices:\n  app:\n    image: tsp/app:1\n");
  CHECK(edited("# production\n# (empty)", kAppImage, "x") ==
        "# production\n# (empty)\nservices:\n  app:\n    image: x\n");
  CHECK(edited("---\n", kAppImage, "x") == "---\nservices:\n  app:\n    image: x\n");
}

TEST_CASE("yaml text edit: an empty flow mapping on the path becomes a block mapping") {
  std::string text = "services:\n  app: {}   # nothing yet\n  worker:\n    replicas: 2\n";
  CHECK(edited(text, kAppImage, "x") ==
        "services:\n  app:   # nothing yet\n    image: x\n  worker:\n    replicas: 2\n");
  CHECK(edited("services: { }\n", kAppImage, "x") == "services:\n  app:\n    image: x\n");
}

TEST_CASE(
    "yaml text edit: an empty value gets the value after its colon; a written null is replaced") {
  std::string text = "services:\n  app:\n    env:\n      A:   # to be set\n      B: b\n";
  CHECK(edited(text, {"services", "app", "env", "A"}, "a") ==
        "services:\n  app:\n    env:\n      A: a   # to be set\n      B: b\n");
  CHECK(edited("services:\n  app:\n    image: ~  # x\n", kAppImage, "b") ==
        "services:\n  app:\n    image: b  # x\n");
  CHECK(edited("services:\n  app:\n    image: null\n", kAppImage, "null") ==
        "services:\n  app:\n    image: \"null\"\n");
}

TEST_CASE(
    "yaml text edit: quoted keys, values on their own line and quoted values over several lines") {
  std::string quoted_keys = "\"services\":\n  'app':\n    \"image\": x:1\n";
  CHECK(edited(quoted_keys, kAppImage, "x:2") == "\"services\":\n  'app':\n    \"image\": x:2\n");
  std::string next_line = "services:\n  app:\n    image:\n      x:1\n";
  CHECK(edited(next_line, kAppImage, "x:2") == "services:\n  app:\n    image:\n      x:2\n");
  std::string folded = "services:\n  app:\n    image: \"x:\n      1\"\n    replicas: 2\n";
  CHECK(edited(folded, kAppImage, "x:2") ==
        "services:\n  app:\n    image: \"x:2\"\n    replicas: 2\n");
}

TEST_CASE("yaml text edit: a byte order mark is kept") {
  std::string text = "\xEF\xBB\xBFservices:\n  app:\n    image: a\n";
  CHECK(edited(text, kAppImage, "b") == "\xEF\xBB\xBFservices:\n  app:\n    image: b\n");
}

TEST_CASE(
    "yaml text edit: anchors, merge keys and aliases elsewhere in the file do not stop an edit") {
  std::string text =
      "x-defaults: &defaults\n"
      "  restart: always\n"
      "services:\n"
      "  worker:\n"
      "    <<: *defaults\n"
      "  app:\n"
      "    image: a   # here\n";
  CHECK(changed_lines(text, edited(text, kAppImage, "b")).added ==
        Lines{"    image: b   # here\n"});
}

TEST_CASE(
    "yaml text edit: flow style on the path is refused with its place and a hint to edit by hand") {
  CHECK(refused("services:\n  app: { image: a }\n", kAppImage, "b") ==
        "environments/production.yaml:2:8: error: cannot edit inside a flow-style mapping ({ ... "
        "}) (at services.app)\n"
        "  hint: edit environments/production.yaml by hand: set services.app.image to \"b\"\n");
  CHECK(
      refused("{services: {app: {image: a}}}\n", kAppImage, "b") ==
      "environments/production.yaml:1:1: error: cannot edit inside a flow-style mapping ({ ... })\n"
      "  hint: edit environments/production.yaml by hand: set services.app.image to \"b\"\n");
  CHECK(refused("services:\n  app:\n    env: [A]\n", {"services", "app", "env", "A"}, "b") ==
        "environments/production.yaml:3:10: error: cannot edit inside a flow-style list ([ ... ]) "
        "(at services.app.env)\n"
        "  hint: edit environments/production.yaml by hand: set services.app.env.A to \"b\"\n");
}

TEST_CASE("yaml text edit: anchors, aliases, merge keys and tags on the path are refused") {
  CHECK(refused("services:\n  app:\n    image: &img a\n  worker:\n    image: *img\n", kAppImage,
                "b") ==
        "environments/production.yaml:3:12: error: cannot edit a value with an anchor (&): the "
        "aliases of it would change "
        "too (at services.app.image)\n"
        "  hint: edit environments/production.yaml by hand: set services.app.image to \"b\"\n");
  CHECK(refused("x-img: &img a\nservices:\n  app:\n    image: *img\n", kAppImage, "b") ==
        "environments/production.yaml:4:5: error: cannot edit a value that comes from a merge key "
        "or an alias "
        "(at services.app.image)\n"
        "  hint: edit environments/production.yaml by hand: set services.app.image to \"b\"\n");
  CHECK(refused("x-app: &app\n  image: a\nservices:\n  app: *app\n", kAppImage, "b")
            .starts_with("environments/production.yaml:4:3: error: cannot edit a value that comes "
                         "from a merge key or an alias (at services.app)"));
  CHECK(refused("x-app: &app\n  image: a\nservices:\n  app:\n    <<: *app\n    replicas: 2\n",
                kAppImage, "b") ==
        "environments/production.yaml:5:5: error: cannot edit a mapping that uses a merge key (<<) "
        "(at services.app)\n"
        "  hint: edit environments/production.yaml by hand: set services.app.image to \"b\"\n");
  CHECK(refused("services:\n  app:\n    image: !!str a\n", kAppImage, "b")
            .starts_with("environments/production.yaml:3:12: error: cannot edit a value with a tag "
                         "(!) (at services.app.image)"));
  CHECK(refused("services:\n  app: &a\n    image: x\n", kAppImage, "b")
            .starts_with(
                "environments/production.yaml:2:8: error: cannot edit a value with an anchor (&)"));
}

TEST_CASE("yaml text edit: what is not one scalar in a block mapping is refused") {
  CHECK(refused("services:\n  app:\n    image: |\n      a\n", kAppImage, "b")
            .starts_with("environments/production.yaml:3:12: error: cannot replace a block scalar "
                         "(| or >) (at services.app.image)"));
  CHECK(refused("services:\n  app:\n    image: a\n      b\n", kAppImage, "b")
            .starts_with("environments/production.yaml:3:12: error: cannot replace a plain value "
                         "written over several lines"));
  CHECK(refused("services:\n  app:\n    image:\n      name: a\n", kAppImage, "b")
            .starts_with("environments/production.yaml:4:7: error: the value here is a mapping, "
                         "not a single value (at services.app.image)"));
  CHECK(refused("services:\n  app: null\n", kAppImage, "b")
            .starts_with("environments/production.yaml:2:8: error: the value here is null, not a "
                         "mapping (in an overlay, null removes the key) "
                         "(at services.app)"));
  CHECK(refused("services:\n  app:\n  worker: {}\n", kAppImage, "b")
            .starts_with(
                "environments/production.yaml:2:3: error: the value here is null, not a mapping"));
  CHECK(refused("services:\n  app: tsp/app\n", kAppImage, "b")
            .starts_with("environments/production.yaml:2:8: error: the value here is a string, not "
                         "a mapping (at services.app)"));
  CHECK(refused("services:\n  - app\n", kAppImage, "b")
            .starts_with("environments/production.yaml:2:3: error: the value here is a list, not a "
                         "mapping (at services)"));
}

TEST_CASE(
    "yaml text edit: a complex key (? key) on the path is refused, with or without its value") {
  for (std::string text : {"? services\n", "? services", "? services\n: app: x\n",
                           "services:\n  ? app\n", "services:\n  app:\n    ? image"}) {
    CAPTURE(text);
    CHECK(refused(text, kAppImage, "b")
              .find("error: cannot edit the value of a complex key (? key)") != std::string::npos);
  }
  // Beside the path, one stays as it is.
  CHECK(edited("? other\nservices:\n  app:\n    image: a\n", kAppImage, "b") ==
        "? other\nservices:\n  app:\n    image: b\n");
}

TEST_CASE("yaml text edit: a file that is not valid YAML is refused with the parser's error") {
  CHECK(
      refused("services:\n  app:\n    image: \"a\n", kAppImage, "b")
          .starts_with("environments/production.yaml:3:12: error: a quoted string is not closed"));
  CHECK(refused("services: [\n", kAppImage, "b").starts_with("environments/production.yaml:"));
}

TEST_CASE("yaml text edit: several edits in a row touch only their own lines") {
  std::string text(kOverlay);
  text = edited(text, kAppImage, "tsp/app:1.4.3");
  text = edited(text, {"services", "worker", "image"}, "tsp/worker:1.4.3");
  text = edited(text, {"services", "app", "env", "LOG_LEVEL"}, "info");
  CHECK(text ==
        "# production: bigger, monitored and backed up.\n"
        "services:\n"
        "  app:\n"
        "    # the release train sets this\n"
        "    image: tsp/app:1.4.3   # promoted from staging\n"
        "    env:\n"
        "      LOG_LEVEL: info\n"
        "\n"
        "  # workers scale with the queue\n"
        "  worker:\n"
        "    replicas: 8\n"
        "    image: tsp/worker:1.4.3\n"
        "# end\n");
}

}  // namespace run::config
