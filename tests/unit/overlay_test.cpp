#include <doctest/doctest.h>

#include "config/overlay.h"
#include "test_support.h"

namespace run::config {

using model::Node;
using model::NodeKind;

namespace {

Node merged(std::string_view base, std::string_view overlay) {
  return merge_overlay(test::parse_ok(base, "run-config.yaml"),
                       test::parse_ok(overlay, "environments/production.yaml"));
}

}  // namespace

TEST_CASE("overlay: maps merge key by key") {
  Node root = merged("app:\n  image: a:1\n  replicas: 1\n", "app:\n  replicas: 3\n  user: root\n");
  CHECK(root.find("app")->keys() == std::vector<std::string>{"image", "replicas", "user"});
  CHECK(test::text_at(root, "app.image") == "a:1");
  CHECK(test::text_at(root, "app.replicas") == "3");
  CHECK(test::text_at(root, "app.user") == "root");
}

TEST_CASE("overlay: a scalar is replaced and keeps the overlay's file in its location") {
  Node root =
      merged("worker:\n  replicas: 2\n  image: w\n", "# production\nworker:\n  replicas: 8\n");
  const Node* replicas = model::lookup(root, {"worker", "replicas"});
  REQUIRE(replicas);
  CHECK(replicas->text == "8");
  CHECK(replicas->kind == NodeKind::kInt);
  CHECK(replicas->location.to_string() == "environments/production.yaml:3:13");
  // A value the overlay does not touch still points at the base.
  CHECK(model::lookup(root, {"worker", "image"})->location.file == "run-config.yaml");
}

TEST_CASE("overlay: a list is replaced whole, not merged item by item") {
  Node root = merged("app:\n  ports: [\"80:80\", \"443:443\", \"22:22\"]\n",
                     "app:\n  ports: [\"8080:80\"]\n");
  const Node* ports = model::lookup(root, {"app", "ports"});
  REQUIRE(ports);
  REQUIRE(ports->items.size() == 1);
  CHECK(ports->items[0].text == "8080:80");
  CHECK(ports->items[0].location.file == "environments/production.yaml");
}

TEST_CASE("overlay: an explicit null removes the key") {
  Node root = merged("app:\n  ports: [\"80:80\"]\n  image: a\n", "app:\n  ports: null\n");
  CHECK(model::lookup(root, {"app", "ports"}) == nullptr);
  CHECK(model::lookup(root, {"app", "image"}) != nullptr);
}

TEST_CASE("overlay: an explicit null removes a whole subtree, and ~ is null too") {
  Node root = merged("a:\n  b: {c: 1}\nd: 1\n", "a: ~\n");
  CHECK(root.find("a") == nullptr);
  CHECK(root.keys() == std::vector<std::string>{"d"});
}

TEST_CASE("overlay: a null for a key the base does not have changes nothing") {
  Node root = merged("a: 1\n", "b: null\n");
  CHECK(root.keys() == std::vector<std::string>{"a"});
}

TEST_CASE("overlay: nulls inside a new subtree are not stored") {
  Node root = merged("a: 1\n", "b:\n  keep: 1\n  drop: null\n");
  REQUIRE(root.find("b"));
  CHECK(root.find("b")->keys() == std::vector<std::string>{"keep"});
}

TEST_CASE("overlay: a quoted \"null\" is a string and does not remove") {
  Node root = merged("a: x\n", "a: \"null\"\n");
  REQUIRE(root.find("a"));
  CHECK(root.find("a")->kind == NodeKind::kString);
  CHECK(root.find("a")->text == "null");
}

TEST_CASE("overlay: a map replaces a scalar and a scalar replaces a map") {
  Node root = merged("a: 1\nb: {c: 1}\n", "a: {x: 2}\nb: plain\n");
  CHECK(root.find("a")->kind == NodeKind::kMap);
  CHECK(test::text_at(root, "a.x") == "2");
  CHECK(root.find("b")->kind == NodeKind::kString);
  CHECK(root.find("b")->text == "plain");
}

TEST_CASE("overlay: a map replacing a list drops the nulls it carries") {
  Node root = merged("a: [1, 2]\n", "a: {keep: 1, drop: ~}\n");
  CHECK(root.find("a")->keys() == std::vector<std::string>{"keep"});
}

TEST_CASE("overlay: keys new in the overlay are appended after the base's keys") {
  Node root = merged("b: 1\na: 1\n", "c: 1\na: 2\n");
  CHECK(root.keys() == std::vector<std::string>{"b", "a", "c"});
}

TEST_CASE("overlay: an empty overlay map changes nothing") {
  Node root = merged("a: {b: 1}\n", "a: {}\n");
  CHECK(test::text_at(root, "a.b") == "1");
}

}  // namespace run::config
