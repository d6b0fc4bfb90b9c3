#include "apply/failure_diagnostics.h"

#include <doctest/doctest.h>

#include "fake_docker_api.h"
#include "model/secret_redaction.h"

namespace run::apply {

namespace {

/// One frame of a multiplexed log stream: the 8-byte header and `payload`.
std::string frame(unsigned char stream, std::string_view payload) {
  std::string bytes = {static_cast<char>(stream), 0, 0, 0};
  std::size_t length = payload.size();
  for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((length >> shift) & 0xff);
  return bytes + std::string(payload);
}

model::ServiceSpec service_with_secret() {
  model::ServiceSpec spec;
  spec.name = "app";
  spec.env["TOKEN"] = model::EnvValue{"s3cr3t-token", true, "fp", "${secret:TOKEN}"};
  spec.env["PIN"] = model::EnvValue{"12", true, "fp", "${secret:PIN}"};
  spec.env["MODE"] = model::EnvValue{"s3cr3t-token-plain", false, "", ""};
  return spec;
}

}  // namespace

TEST_CASE("failure diagnostics: an exited container gives its exit code and last log lines") {
  test::FakeDockerApi api;
  api.answer("/containers/c1/json", 200, R"({"State": {"Status": "exited", "ExitCode": 3}})");
  api.answer_get_stream("/containers/c1/logs", 200,
                        {frame(1, "2024-05-01T10:00:00Z starting\n"),
                         frame(2, "2024-05-01T10:00:01Z no database\n")});
  FailureDiagnostics found = gather_failure_diagnostics(api, "c1", model::ServiceSpec{});
  CHECK(found.state == "exited");
  CHECK(found.exit_code == 3);
  CHECK(found.log_lines == std::vector<std::string>{"starting", "no database"});
  CHECK(api.recorded().back().path.find("tail=20") != std::string::npos);
  CHECK(diagnostic_lines(found) == std::vector<std::string>{"state: exited (exit code 3)",
                                                            "log: starting", "log: no database"});
}

TEST_CASE("failure diagnostics: an unhealthy container gives its last three health checks") {
  test::FakeDockerApi api;
  api.answer("/containers/c1/json", 200, R"({"State": {"Status": "running", "ExitCode": 0,
      "Health": {"Status": "unhealthy", "Log": [
        {"ExitCode": 1, "Output": "first\n"}, {"ExitCode": 1, "Output": "second\n"},
        {"ExitCode": 1, "Output": "  not ready\n"}, {"ExitCode": 2, "Output": "refused\n"}]}}})");
  FailureDiagnostics found = gather_failure_diagnostics(api, "c1", model::ServiceSpec{});
  REQUIRE(found.health_outputs.size() == 3);
  CHECK(found.health_outputs[1].output == "not ready");
  CHECK(diagnostic_lines(found) == std::vector<std::string>{"state: running",
                                                            "health check: exit 1: second",
                                                            "health check: exit 1: not ready",
                                                            "health check: exit 2: refused"});
}

TEST_CASE("failure diagnostics: a secret's value is redacted, short and plain values are not") {
  test::FakeDockerApi api;
  api.answer("/containers/c1/json", 200, R"({"State": {"Status": "exited", "ExitCode": 1,
      "Health": {"Log": [{"ExitCode": 1, "Output": "bad token s3cr3t-token"}]}}})");
  api.answer_get_stream("/containers/c1/logs", 200,
                        {frame(1,
                               "2024-05-01T10:00:00Z token=s3cr3t-token pin=12 again "
                               "s3cr3t-token\n")});
  FailureDiagnostics found = gather_failure_diagnostics(api, "c1", service_with_secret());
  CHECK(found.log_lines == std::vector<std::string>{"token=(sensitive) pin=12 again (sensitive)"});
  CHECK(found.health_outputs.front().output == "bad token (sensitive)");
  CHECK(model::redact_secrets("s3cr3t-token-plain", service_with_secret()) == "(sensitive)-plain");
}

TEST_CASE("failure diagnostics: an inspect and a log read that fail give what there is") {
  test::FakeDockerApi api;  // unscripted: every request is a 404
  FailureDiagnostics found = gather_failure_diagnostics(api, "gone", model::ServiceSpec{});
  CHECK(found.state.empty());
  CHECK(found.log_lines.empty());
  CHECK(diagnostic_lines(found).empty());
}

}  // namespace run::apply
