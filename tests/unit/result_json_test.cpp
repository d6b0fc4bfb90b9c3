#include <doctest/doctest.h>

#include "history/result_json.h"
#include "test_support.h"

namespace run::history {

namespace {

RecordResult rollback_result() {
  RecordResult result;
  result.outcome = Outcome::kFailed;
  result.kind = RecordKind::kRollback;
  result.rollback_of = 11;
  result.started_at = "2026-11-29T04:05:44Z";
  result.finished_at = "2026-11-29T04:06:01Z";
  result.seconds = 17.25;
  result.source = SourceInfo{"06eaf9324b95fbb65dcee36a3aa877d3a1b93420", true, "v1.4.2"};
  result.summary = "1 to add, 1 to change, 0 to destroy";
  result.actions = {
      {"replace", "container", "shop-production-app-1", "failed",
       "health check failed: \"curl\" exited 7\nsee logs", 12.5},
      {"create", "container", "shop-production-worker-1", "skipped", "", 0},
      {"create", "network", "shop-production", "done", "", 0.125},
  };
  return result;
}

RecordResult parse_ok(std::string_view json) {
  Result<RecordResult> parsed = result_from_json(json, "record 12 of production: result.json");
  if (!parsed) FAIL("unexpected errors:\n" << test::formatted(parsed.errors()));
  return std::move(parsed).value();
}

std::string parse_errors(std::string_view json) {
  Result<RecordResult> parsed = result_from_json(json, "record 12 of production: result.json");
  if (parsed) FAIL("expected errors for:\n" << json);
  return test::formatted(parsed.errors());
}

std::string with(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  REQUIRE_MESSAGE(text.find(from, at + 1) == std::string::npos, from);
  return text.replace(at, from.size(), to);
}

void check_same_action(const ActionOutcome& restored, const ActionOutcome& written) {
  CHECK(restored.kind == written.kind);
  CHECK(restored.resource == written.resource);
  CHECK(restored.name == written.name);
  CHECK(restored.state == written.state);
  CHECK(restored.message == written.message);
  CHECK(restored.seconds == written.seconds);
}

}  // namespace

TEST_CASE("record: outcomes and kinds read back from their names, and nothing else does") {
  for (Outcome outcome : {Outcome::kSucceeded, Outcome::kFailed, Outcome::kInterrupted})
    CHECK(outcome_from(to_string(outcome)) == outcome);
  for (RecordKind kind :
       {RecordKind::kApply, RecordKind::kRollback, RecordKind::kDestroy, RecordKind::kReconcile})
    CHECK(record_kind_from(to_string(kind)) == kind);
  CHECK(to_string(Outcome::kInterrupted) == "interrupted");
  CHECK(to_string(RecordKind::kReconcile) == "reconcile");
  CHECK_FALSE(outcome_from("Succeeded"));
  CHECK_FALSE(outcome_from(""));
  CHECK_FALSE(record_kind_from("roll-back"));
}

TEST_CASE(
    "result JSON: the file is pretty, in a fixed order, with number and environment for its "
    "readers") {
  RecordResult result;
  result.started_at = "2026-11-29T04:05:44Z";
  result.finished_at = "2026-11-29T04:05:46Z";
  result.seconds = 2;
  result.summary = "1 to add, 0 to change, 0 to destroy";
  result.actions = {{"create", "container", "shop-dev-app-1", "done", "", 1.5}};
  CHECK(result_to_json(result, 3, "dev") ==
        "{\n"
        "  \"format_version\": \"1\",\n"
        "  \"number\": 3,\n"
        "  \"environment\": \"dev\",\n"
        "  \"outcome\": \"succeeded\",\n"
        "  \"kind\": \"apply\",\n"
        "  \"rollback_of\": null,\n"
        "  \"started_at\": \"2026-11-29T04:05:44Z\",\n"
        "  \"finished_at\": \"2026-11-29T04:05:46Z\",\n"
        "  \"seconds\": 2.0,\n"
        "  \"source\": {\n"
        "    \"commit\": \"\",\n"
        "    \"dirty\": false,\n"
        "    \"revision\": \"\"\n"
        "  },\n"
        "  \"summary\": \"1 to add, 0 to change, 0 to destroy\",\n"
        "  \"actions\": [\n"
        "    {\n"
        "      \"kind\": \"create\",\n"
        "      \"resource\": \"container\",\n"
        "      \"name\": \"shop-dev-app-1\",\n"
        "      \"state\": \"done\",\n"
        "      \"message\": \"\",\n"
        "      \"seconds\": 1.5\n"
        "    }\n"
        "  ]\n"
        "}\n");
}

TEST_CASE("result JSON: a result read back equals the result written") {
  RecordResult written = rollback_result();
  std::string json = result_to_json(written, 12, "production");
  RecordResult restored = parse_ok(json);
  CHECK(restored.outcome == written.outcome);
  CHECK(restored.kind == written.kind);
  CHECK(restored.rollback_of == written.rollback_of);
  CHECK(restored.started_at == written.started_at);
  CHECK(restored.finished_at == written.finished_at);
  CHECK(restored.seconds == written.seconds);
  CHECK(restored.source.commit == written.source.commit);
  CHECK(restored.source.dirty == written.source.dirty);
  CHECK(restored.source.revision == written.source.revision);
  CHECK(restored.summary == written.summary);
  REQUIRE(restored.actions.size() == written.actions.size());
  for (std::size_t i = 0; i < written.actions.size(); ++i)
    check_same_action(restored.actions[i], written.actions[i]);
  CHECK(result_to_json(restored, 12, "production") == json);
}

TEST_CASE("result JSON: a deployment that is no rollback reads back with no rollback_of") {
  RecordResult written = rollback_result();
  written.kind = RecordKind::kApply;
  written.rollback_of.reset();
  RecordResult restored = parse_ok(result_to_json(written, 1, "dev"));
  CHECK_FALSE(restored.rollback_of.has_value());
  CHECK(restored.kind == RecordKind::kApply);
}

TEST_CASE("result JSON: an unknown format_version and a file that is not JSON are refused") {
  std::string json = with(result_to_json(rollback_result(), 12, "production"),
                          "\"format_version\": \"1\"", "\"format_version\": \"7\"");
  CHECK(parse_errors(json) ==
        "record 12 of production: result.json: error: format_version '7' is not one this run reads "
        "(at "
        "format_version)\n"
        "  hint: this run reads format_version 1; a newer run wrote this record, so read it with "
        "that version\n");
  CHECK(parse_errors("{\"format_version\": \"1\",}")
            .find("result.json:1:24: error: not valid JSON:") != std::string::npos);
  CHECK(parse_errors("\"result\"") ==
        "record 12 of production: result.json: error: expected a JSON object, found a string\n");
}

TEST_CASE(
    "result JSON: unknown values, wrong types, missing and unknown members are reported at their "
    "paths") {
  std::string json = result_to_json(rollback_result(), 12, "production");
  json = with(json, "\"outcome\": \"failed\"", "\"outcome\": \"broken\"");
  json = with(json, "\"rollback_of\": 11", "\"rollback_of\": 0");
  json = with(json, "\"dirty\": true", "\"dirty\": \"yes\"");
  json = with(json, "\"seconds\": 12.5", "\"seconds\": \"12.5\"");
  json = with(json, "\"summary\": \"1 to add, 1 to change, 0 to destroy\",", "\"sumary\": \"\",");
  CHECK(parse_errors(json) ==
        "record 12 of production: result.json: error: unknown member (at sumary)\n"
        "  hint: did you mean 'summary'?\n"
        "record 12 of production: result.json: error: required member is missing (at summary)\n"
        "record 12 of production: result.json: error: unknown value 'broken' (at outcome)\n"
        "  hint: expected one of succeeded, failed, interrupted, in-progress\n"
        "record 12 of production: result.json: error: expected an integer from 1 to 2147483647, "
        "found 0 (at "
        "rollback_of)\n"
        "record 12 of production: result.json: error: expected true or false, found a string (at "
        "source.dirty)\n"
        "record 12 of production: result.json: error: expected a number, found a string (at "
        "actions[0].seconds)\n");
}

TEST_CASE("result JSON: the number and environment written for readers are checked too") {
  std::string json = result_to_json(rollback_result(), 12, "production");
  CHECK(parse_errors(with(json, "\"number\": 12", "\"number\": \"12\"")) ==
        "record 12 of production: result.json: error: expected an integer from 1 to 2147483647, "
        "found a string (at "
        "number)\n");
  CHECK(
      parse_errors(with(json, "\"environment\": \"production\",\n", "")) ==
      "record 12 of production: result.json: error: required member is missing (at environment)\n");
}

}  // namespace run::history
