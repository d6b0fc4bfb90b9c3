#include <doctest/doctest.h>

#include "config/yaml_loader.h"
#include "test_support.h"

namespace run::config {

using model::Node;
using model::NodeKind;

TEST_CASE("yaml loader: every value and key records its file and 1-based line and column") {
  Node root = test::parse_ok(
      "version: \"2\"\n"
      "services:\n"
      "  app:\n"
      "    replicas: 3\n"
      "    ports: [\"8080:80\", \"9090:90\"]\n",
      "environments/production.yaml");
  const Node* replicas = model::lookup(root, {"services", "app", "replicas"});
  REQUIRE(replicas);
  CHECK(replicas->location.file == "environments/production.yaml");
  CHECK(replicas->location.line == 4);
  CHECK(replicas->location.column == 15);

  const model::MapEntry* entry = model::lookup(root, {"services", "app"})->find_entry("replicas");
  REQUIRE(entry);
  CHECK(entry->key_location.file == "environments/production.yaml");
  CHECK(entry->key_location.line == 4);
  CHECK(entry->key_location.column == 5);

  const Node* second_port = model::lookup(root, {"services", "app", "ports", "1"});
  REQUIRE(second_port);
  CHECK(second_port->text == "9090:90");
  CHECK(second_port->location.line == 5);
  CHECK(second_port->location.column == 24);

  const Node* version = root.find("version");
  CHECK(version->location.to_string() == "environments/production.yaml:1:10");
  CHECK(version->location.file_line() == "environments/production.yaml:1");
}

TEST_CASE("yaml loader: map entries keep the order of the file") {
  Node root = test::parse_ok("zeta: 1\nalpha: 2\nmid: 3\n");
  CHECK(root.keys() == std::vector<std::string>{"zeta", "alpha", "mid"});
}

TEST_CASE("yaml loader: a merge key copies the keys of an anchored map, explicit keys win") {
  Node root = test::parse_ok(
      "x-defaults: &defaults\n"
      "  restart: always\n"
      "  init: true\n"
      "services:\n"
      "  a:\n"
      "    init: false\n"
      "    <<: *defaults\n"
      "    image: a\n"
      "  b:\n"
      "    <<: *defaults\n"
      "    restart: \"no\"\n");
  const Node* a = model::lookup(root, {"services", "a"});
  REQUIRE(a);
  CHECK(a->find("<<") == nullptr);
  CHECK(a->find("restart")->text == "always");
  CHECK(a->find("init")->text == "false");
  CHECK(a->find("image")->text == "a");
  CHECK(a->entries.size() == 3);

  const Node* b = model::lookup(root, {"services", "b"});
  CHECK(b->find("restart")->text == "no");
  CHECK(b->find("init")->text == "true");
  // A merged value points at where it was written: the anchored map.
  CHECK(b->find("init")->location.line == 3);
}

TEST_CASE("yaml loader: a merge key with a list of anchors takes the first one that sets a key") {
  Node root = test::parse_ok(
      "x-a: &a\n"
      "  restart: always\n"
      "  user: alice\n"
      "x-b: &b\n"
      "  restart: on-failure\n"
      "  working_dir: /b\n"
      "svc:\n"
      "  <<: [*a, *b]\n"
      "  user: root\n");
  const Node* svc = root.find("svc");
  REQUIRE(svc);
  CHECK(svc->find("restart")->text == "always");
  CHECK(svc->find("user")->text == "root");
  CHECK(svc->find("working_dir")->text == "/b");
  CHECK(svc->find("<<") == nullptr);
}

TEST_CASE("yaml loader: a merge key that is not a map is refused") {
  Diagnostic error = test::parse_error("x: &x 1\ny:\n  <<: *x\n");
  CHECK(error.message == "a merge key '<<' takes a mapping or a list of mappings");
  CHECK(error.location.file == "run-config.yaml");
}

TEST_CASE("yaml loader: a quoted '<<' is an ordinary key") {
  Node root = test::parse_ok("\"<<\": 1\n");
  REQUIRE(root.find("<<"));
  CHECK(root.find("<<")->text == "1");
}

TEST_CASE("yaml loader: an alias is a copy of the anchored value") {
  Node root = test::parse_ok("a: &cmd [sh, -c, run]\nb: *cmd\nc: &n 3\nd: *n\n");
  const Node* b = root.find("b");
  REQUIRE(b);
  CHECK(b->kind == NodeKind::kSequence);
  REQUIRE(b->items.size() == 3);
  CHECK(b->items[2].text == "run");
  CHECK(root.find("d")->kind == NodeKind::kInt);
  CHECK(root.find("d")->text == "3");
}

TEST_CASE("yaml loader: x- extension keys stay in the tree") {
  Node root = test::parse_ok("x-defaults: &d {a: 1}\nx-notes: hello\nkept: *d\n");
  REQUIRE(root.find("x-defaults"));
  CHECK(root.find("x-notes")->text == "hello");
  CHECK(root.find("kept")->find("a")->text == "1");
}

TEST_CASE("yaml loader: an unsupported tag is refused with a hint") {
  Diagnostic error = test::parse_error("a: !custom 1\n");
  CHECK(format_diagnostic(error) ==
        "run-config.yaml:1:4: error: unsupported tag '!custom'\n"
        "  hint: remove the tag; run reads plain YAML values");
}

TEST_CASE("yaml loader: a map as a key is refused") {
  Diagnostic error = test::parse_error("? {a: 1}\n: b\n");
  CHECK(error.message == "a mapping key must be a plain value, not a mapping");
}

}  // namespace run::config
