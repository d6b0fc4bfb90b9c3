#include <doctest/doctest.h>

#include "config/json_convert.h"
#include "model/scalar_type.h"
#include "test_support.h"

namespace run::model {

TEST_CASE("scalar type: null is ~, null, its capitalised spellings and the empty scalar") {
  for (const char* text : {"", "~", "null", "Null", "NULL"}) {
    CAPTURE(text);
    CHECK(resolve_plain_scalar(text) == NodeKind::kNull);
  }
  CHECK(resolve_plain_scalar("nul") == NodeKind::kString);
}

TEST_CASE("scalar type: true and false in YAML 1.2 spellings are booleans") {
  for (const char* text : {"true", "True", "TRUE", "false", "False", "FALSE"}) {
    CAPTURE(text);
    CHECK(resolve_plain_scalar(text) == NodeKind::kBool);
  }
  CHECK(resolve_plain_scalar("tRUE") == NodeKind::kString);
}

TEST_CASE("scalar type: yes, no, on and off are read as booleans so a schema catches them") {
  for (const char* text :
       {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}) {
    CAPTURE(text);
    CHECK(resolve_plain_scalar(text) == NodeKind::kBool);
    CHECK(is_yaml11_boolean(text));
  }
  CHECK_FALSE(is_yaml11_boolean("true"));
  CHECK(resolve_plain_scalar("nope") == NodeKind::kString);
}

TEST_CASE("scalar type: is_true_literal says which booleans are true") {
  for (const char* text : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"}) {
    CAPTURE(text);
    CHECK(is_true_literal(text));
  }
  for (const char* text : {"false", "no", "off", "OFF", "No"}) {
    CAPTURE(text);
    CHECK_FALSE(is_true_literal(text));
  }
}

TEST_CASE("scalar type: decimal, octal 0o and hexadecimal 0x integers") {
  for (const char* text : {"0", "12", "-3", "+7", "0755", "0o755", "0x1f", "0xFF"}) {
    CAPTURE(text);
    CHECK(resolve_plain_scalar(text) == NodeKind::kInt);
  }
  // Malformed prefixes are text, not numbers.
  for (const char* text : {"0o8", "0x", "0o", "0xg1", "1_000", "--1"}) {
    CAPTURE(text);
    CHECK(resolve_plain_scalar(text) == NodeKind::kString);
  }
}

TEST_CASE("scalar type: floats include 1.10, exponents and .inf/.nan") {
  for (const char* text : {"1.10", "2.0", "-0.5", ".5", "1.", "1e3", "6.02E+23", ".inf", "-.inf",
                           "+.Inf", ".nan", ".NaN"}) {
    CAPTURE(text);
    CHECK(resolve_plain_scalar(text) == NodeKind::kFloat);
  }
  for (const char* text : {"1.2.3", "e3", "1e", ".", "-.nan", "1.0s"}) {
    CAPTURE(text);
    CHECK(resolve_plain_scalar(text) == NodeKind::kString);
  }
}

TEST_CASE("scalar type: everything else is a string") {
  for (const char* text : {"postgres:16", "8080:8080", "1.4.2", "-c", "y", "n", "hello world"}) {
    CAPTURE(text);
    CHECK(resolve_plain_scalar(text) == NodeKind::kString);
  }
}

TEST_CASE("scalar type: the loader types plain scalars and keeps quoted ones as strings") {
  Node root = test::parse_ok(
      "plain_float: 1.10\n"
      "quoted_float: \"1.10\"\n"
      "single_quoted: '1.10'\n"
      "octal: 0o755\n"
      "hex: 0x1f\n"
      "answer: no\n"
      "quoted_answer: \"no\"\n"
      "nothing:\n"
      "tagged: !!str 12\n");
  CHECK(root.find("plain_float")->kind == NodeKind::kFloat);
  CHECK(root.find("quoted_float")->kind == NodeKind::kString);
  CHECK(root.find("quoted_float")->text == "1.10");
  CHECK(root.find("quoted_float")->style == ScalarStyle::kQuoted);
  CHECK(root.find("single_quoted")->kind == NodeKind::kString);
  CHECK(root.find("octal")->kind == NodeKind::kInt);
  CHECK(root.find("hex")->kind == NodeKind::kInt);
  CHECK(root.find("answer")->kind == NodeKind::kBool);
  CHECK(root.find("quoted_answer")->kind == NodeKind::kString);
  CHECK(root.find("nothing")->kind == NodeKind::kNull);
  CHECK(root.find("tagged")->kind == NodeKind::kString);
}

TEST_CASE(
    "scalar type: JSON conversion keeps each scalar's YAML type and reads 0o and 0x in their "
    "base") {
  Node root =
      test::parse_ok("a: 0o755\nb: 0x1f\nc: \"1.10\"\nd: 1.10\ne: off\nf: ~\ng: -12\nx-ext: 1\n");
  rapidjson::Document json = config::to_json(root);
  REQUIRE(json.IsObject());
  CHECK(json["a"].GetInt64() == 493);
  CHECK(json["b"].GetInt64() == 31);
  CHECK(json["c"].IsString());
  CHECK(std::string(json["c"].GetString()) == "1.10");
  CHECK(json["d"].IsDouble());
  CHECK(json["d"].GetDouble() == doctest::Approx(1.1));
  CHECK(json["e"].IsBool());
  CHECK_FALSE(json["e"].GetBool());
  CHECK(json["f"].IsNull());
  CHECK(json["g"].GetInt64() == -12);
  CHECK(json.HasMember("x-ext"));  // extensions are stripped by the loader, not here
}

}  // namespace run::model
