#include <doctest/doctest.h>

#include <rapidjson/document.h>

#include "render/document_json.h"
#include "render/document_yaml.h"
#include "test_support.h"

namespace run::render {

using model::Node;
using model::NodeKind;

TEST_CASE("render yaml: strings YAML would misread are quoted, others are plain") {
  Node root = test::parse_ok(
      "version: \"2\"\n"
      "services:\n"
      "  app:\n"
      "    ports: [\"8080:8080\"]\n"
      "    env:\n"
      "      A: \"yes\"\n"
      "      B: \"1.10\"\n"
      "      C: \"\"\n"
      "      D: \"-c\"\n"
      "      E: plain text\n"
      "    command: [sh, -c, \"echo hi\"]\n"
      "    replicas: 2\n"
      "    init: true\n"
      "    cpu: 1.10\n"
      "    empty_list: []\n"
      "    empty_map: {}\n"
      "    nothing: ~\n"
      "    checks:\n"
      "      - name: a\n"
      "        every: 1s\n"
      "      - [nested, list]\n");
  CHECK(render_yaml(root) ==
        "version: \"2\"\n"
        "services:\n"
        "  app:\n"
        "    ports:\n"
        "      - \"8080:8080\"\n"
        "    env:\n"
        "      A: \"yes\"\n"
        "      B: \"1.10\"\n"
        "      C: \"\"\n"
        "      D: \"-c\"\n"
        "      E: plain text\n"
        "    command:\n"
        "      - sh\n"
        "      - \"-c\"\n"
        "      - echo hi\n"
        "    replicas: 2\n"
        "    init: true\n"
        "    cpu: 1.10\n"
        "    empty_list: []\n"
        "    empty_map: {}\n"
        "    nothing: null\n"
        "    checks:\n"
        "      - name: a\n"
        "        every: 1s\n"
        "      - - nested\n"
        "        - list\n");
}

TEST_CASE("render yaml: every string reads back as the same string") {
  const char* tricky[] = {"8080:8080", "yes",   "No",     "off",         "1.10",        "",
                          "-c",        "-",     "a: b",   "x #y",        "#c",          "~",
                          "null",      "0o7",   "0x1f",   "1e3",         ".inf",        "true",
                          "@x",        "*a",    "&a",     "!t",          "%p",          "'q'",
                          "\"dq\"",    " lead", "trail ", "multi\nline", "tab\there",   "[x]",
                          "{x}",       "key:",  "? q",    "| x",         "> x",         "`b`",
                          ",c",        "0755",  "12:30",  "back\\slash", "plain words", "a:b"};
  for (const char* text : tricky) {
    CAPTURE(text);
    Node scalar = model::make_scalar(NodeKind::kString, text, {});
    Node doc = test::parse_ok("k: " + yaml_scalar(scalar) + "\n");
    const Node* back = doc.find("k");
    REQUIRE(back);
    CHECK(back->kind == NodeKind::kString);
    CHECK(back->text == text);
  }
}

TEST_CASE("render yaml: map keys YAML would misread are quoted") {
  Node root = model::make_map({});
  for (const char* key : {"yes", "8080", "<<", "a: b", "", "-x", "plain"})
    root.entries.push_back(model::MapEntry{key, {}, model::make_scalar(NodeKind::kInt, "1", {})});
  std::string yaml = render_yaml(root);
  CHECK(yaml == "\"yes\": 1\n\"8080\": 1\n\"<<\": 1\n\"a: b\": 1\n\"\": 1\n\"-x\": 1\nplain: 1\n");
  Node back = test::parse_ok(yaml);
  CHECK(back.keys() == std::vector<std::string>{"yes", "8080", "<<", "a: b", "", "-x", "plain"});
}

TEST_CASE("render yaml: show-origin ends every value with its file:line") {
  Node root = test::parse_ok("services:\n  app:\n    replicas: 2\n    ports: [\"80:80\"]\n",
                             "environments/dev.yaml");
  CHECK(render_yaml(root, ShowOrigin::kYes) ==
        "services:\n"
        "  app:\n"
        "    replicas: 2  # environments/dev.yaml:3\n"
        "    ports:\n"
        "      - \"80:80\"  # environments/dev.yaml:4\n");
}

TEST_CASE("render yaml: a secret is shown as (sensitive)") {
  Node root = test::parse_ok("env:\n  PASSWORD: hunter2\n");
  root.find("env")->find("PASSWORD")->sensitive = true;
  std::string yaml = render_yaml(root);
  CHECK(yaml == "env:\n  PASSWORD: (sensitive)\n");
  CHECK(yaml.find("hunter2") == std::string::npos);
}

TEST_CASE("render yaml: flow text is short and cut with ...") {
  Node root = test::parse_ok("r: {cpu: 2.0, memory: 1G}\nl: [a, \"yes\"]\n");
  CHECK(flow_text(*root.find("r")) == "{cpu: 2.0, memory: 1G}");
  CHECK(flow_text(*root.find("l")) == "[a, \"yes\"]");
  Node long_text = model::make_scalar(NodeKind::kString, std::string(200, 'a'), {});
  std::string cut = flow_text(long_text, 20);
  CHECK(cut == std::string(17, 'a') + "...");
}

TEST_CASE("render json: integers in decimal, floats, booleans, nulls and strings") {
  Node root = test::parse_ok(
      "a: 0x1f\nb: 0o755\nc: 2.0\nd: \"1.10\"\ne: off\nf: ~\ng: [1, \"two\"]\nh: {}\ni: .inf\nj: "
      "1e3\nk: -7\nl: []\n");
  std::string json = render_json(root);
  CHECK(json ==
        "{\n"
        "  \"a\": 31,\n"
        "  \"b\": 493,\n"
        "  \"c\": 2.0,\n"
        "  \"d\": \"1.10\",\n"
        "  \"e\": false,\n"
        "  \"f\": null,\n"
        "  \"g\": [\n"
        "    1,\n"
        "    \"two\"\n"
        "  ],\n"
        "  \"h\": {},\n"
        "  \"i\": \".inf\",\n"
        "  \"j\": 1000.0,\n"
        "  \"k\": -7,\n"
        "  \"l\": []\n"
        "}\n");
  rapidjson::Document parsed;
  parsed.Parse(json.c_str());
  REQUIRE_FALSE(parsed.HasParseError());
  CHECK(parsed["a"].GetInt() == 31);
  CHECK(parsed["b"].GetInt() == 493);
  CHECK(std::string(parsed["d"].GetString()) == "1.10");
}

TEST_CASE("render json: strings with quotes and control characters parse back") {
  Node root = model::make_map({});
  std::string nasty = "say \"hi\"\n\t\\ \x01 end";
  root.entries.push_back(
      model::MapEntry{"k\"ey", {}, model::make_scalar(NodeKind::kString, nasty, {})});
  std::string json = render_json(root);
  rapidjson::Document parsed;
  parsed.Parse(json.c_str());
  REQUIRE_FALSE(parsed.HasParseError());
  CHECK(std::string(parsed["k\"ey"].GetString()) == nasty);
}

TEST_CASE("render json: show-origin wraps each scalar with its file:line") {
  Node root =
      test::parse_ok("replicas: 0x10\nports: [\"80:80\"]\n", "environments/production.yaml");
  std::string json = render_json(root, ShowOrigin::kYes);
  CHECK(json ==
        "{\n"
        "  \"replicas\": {\"value\": 16, \"origin\": \"environments/production.yaml:1\"},\n"
        "  \"ports\": [\n"
        "    {\"value\": \"80:80\", \"origin\": \"environments/production.yaml:2\"}\n"
        "  ]\n"
        "}\n");
  rapidjson::Document parsed;
  parsed.Parse(json.c_str());
  CHECK_FALSE(parsed.HasParseError());
}

TEST_CASE("render json: a secret is shown as \"(sensitive)\"") {
  Node root = test::parse_ok("pin: 1234\n");
  root.find("pin")->sensitive = true;
  CHECK(render_json(root) == "{\n  \"pin\": \"(sensitive)\"\n}\n");
  CHECK(json_scalar(*root.find("pin")) == "\"(sensitive)\"");
}

}  // namespace run::render
