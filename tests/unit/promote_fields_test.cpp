#include <doctest/doctest.h>

#include "plan/promote_fields.h"
#include "test_support.h"

// The top-level `promote:` list: what it accepts, its default, and each error as
// `run validate` prints it.

namespace run::plan {

namespace {

std::string validate_with(const std::string& tail) {
  return test::validate_text(test::files_with(std::string(test::kMinimalConfig) + tail));
}

std::vector<std::string> field_texts(const std::string& tail) {
  config::LoadedConfig loaded = test::load_ok(
      test::files_with(std::string(test::kMinimalConfig) + tail), test::request_for("dev"));
  std::vector<std::string> texts;
  for (const PromoteField& field : promote_fields(loaded.merged)) texts.push_back(field.text());
  return texts;
}

}  // namespace

TEST_CASE("promote fields: image and env.NAME are accepted, in the order written") {
  CHECK(validate_with("promote: [image, env.LOG_LEVEL, env.a.b]\n") == "");
  CHECK(field_texts("promote: [env.LOG_LEVEL, image]\n") ==
        std::vector<std::string>{"env.LOG_LEVEL", "image"});
  std::optional<PromoteField> dotted = parse_promote_field("env.a.b");
  REQUIRE(dotted);
  CHECK(dotted->kind == PromoteField::Kind::kEnv);
  CHECK(dotted->path() == std::vector<std::string>{"env", "a.b"});
  CHECK(parse_promote_field("image")->path() == std::vector<std::string>{"image"});
}

TEST_CASE(
    "promote fields: without a promote list only the image is promoted; an empty list promotes "
    "nothing") {
  CHECK(field_texts("") == std::vector<std::string>{"image"});
  CHECK(field_texts("promote: []\n") == std::vector<std::string>{});
}

TEST_CASE("promote fields: a field promote cannot copy is an error with a suggestion") {
  CHECK(validate_with("promote:\n  - imag\n  - environment.LOG_LEVEL\n  - env.\n  - replicas\n") ==
        "run-config.yaml:9:5: error: 'imag' is not a field promote can copy (at promote[0])\n"
        "  hint: did you mean 'image'?\n"
        "run-config.yaml:10:5: error: 'environment.LOG_LEVEL' is not a field promote can copy (at "
        "promote[1])\n"
        "  hint: did you mean 'env.LOG_LEVEL'?\n"
        "run-config.yaml:11:5: error: 'env.' is not a field promote can copy (at promote[2])\n"
        "  hint: name the variable: env.NAME, e.g. env.LOG_LEVEL\n"
        "run-config.yaml:12:5: error: 'replicas' is not a field promote can copy (at promote[3])\n"
        "  hint: promote copies 'image' and 'env.NAME' (an environment variable)\n");
}

TEST_CASE("promote fields: a field listed twice is an error that points at the first") {
  CHECK(validate_with("promote:\n  - image\n  - env.A\n  - image\n") ==
        "run-config.yaml:11:5: error: 'image' is listed twice (at promote[2])\n"
        "  hint: it is already listed at line 9; remove one\n");
}

TEST_CASE("promote fields: promote must be a list of strings") {
  CHECK(validate_with("promote: image\n").find("run-config.yaml:8:10: error: ") == 0);
  CHECK(validate_with("promote: [1]\n").find("run-config.yaml:8:11: error: ") == 0);
}

}  // namespace run::plan
