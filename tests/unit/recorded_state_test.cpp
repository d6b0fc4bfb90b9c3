#include <doctest/doctest.h>

#include "history/recorded_state.h"

namespace run::history {

namespace {

Record record_with_state(std::string state_json) {
  Record record;
  record.summary.number = 12;
  record.summary.environment = "dev";
  record.state_json = std::move(state_json);
  return record;
}

}  // namespace

TEST_CASE("recorded_state: errors name the record and its file") {
  CHECK(record_name(record_with_state("").summary) == "record #12 of dev");
  Result<model::DesiredState> state = recorded_state(record_with_state("[]"));
  REQUIRE_FALSE(state.ok());
  CHECK(state.errors().front().location.file == "record #12 of dev: state.json");
  CHECK(state.errors().front().message == "expected a JSON object, found an array");
}

}  // namespace run::history
