#include "apply/failure_diagnostics.h"

#include <rapidjson/document.h>

#include "docker/container_logs.h"
#include "docker/health_log.h"
#include "docker/json_fields.h"
#include "model/secret_redaction.h"

namespace run::apply {

namespace {

constexpr auto kLogTimeout = std::chrono::seconds(5);

/// State, exit code and health log from one inspect; left empty when it fails.
void read_state(docker::DockerApi& api, const std::string& container_id,
                FailureDiagnostics& diagnostics) {
  Result<docker::DockerResponse> response =
      api.request("GET", "/containers/" + container_id + "/json", "", {});
  if (!response || response->status != 200) return;
  rapidjson::Document json;
  json.Parse(response->body.c_str(), response->body.size());
  if (json.HasParseError() || !json.IsObject() || !json.HasMember("State") ||
      !json["State"].IsObject())
    return;
  const rapidjson::Value& state = json["State"];
  diagnostics.state = docker::string_member(state, "Status");
  if (state.HasMember("ExitCode") && state["ExitCode"].IsInt())
    diagnostics.exit_code = state["ExitCode"].GetInt();
  diagnostics.health_outputs = docker::health_outputs_of(state, kHealthOutputs);
}

}  // namespace

FailureDiagnostics gather_failure_diagnostics(docker::DockerApi& api,
                                              const std::string& container_id,
                                              const model::ServiceSpec& spec) {
  FailureDiagnostics diagnostics;
  read_state(api, container_id, diagnostics);
  for (HealthOutput& output : diagnostics.health_outputs)
    output.output = model::redact_secrets(std::move(output.output), spec);
  Result<std::vector<docker::LogLine>> lines = docker::read_container_logs(
      api, container_id, docker::LogRequest{kLogLines, std::nullopt}, kLogTimeout);
  if (!lines) return diagnostics;
  for (const docker::LogLine& line : *lines)
    diagnostics.log_lines.push_back(model::redact_secrets(line.text, spec));
  return diagnostics;
}

std::vector<std::string> diagnostic_lines(const FailureDiagnostics& diagnostics) {
  std::vector<std::string> lines;
  // An exit code means something once the process ended, or when it never started (Docker
  // sets 127 or 126 then); a running container's 0 says nothing.
  bool ended =
      diagnostics.state == "exited" || diagnostics.state == "dead" || diagnostics.exit_code != 0;
  if (!diagnostics.state.empty())
    lines.push_back("state: " + diagnostics.state +
                    (ended ? " (exit code " + std::to_string(diagnostics.exit_code) + ")" : ""));
  for (const HealthOutput& output : diagnostics.health_outputs)
    lines.push_back("health check: exit " + std::to_string(output.exit_code) + ": " +
                    output.output);
  for (const std::string& line : diagnostics.log_lines) lines.push_back("log: " + line);
  return lines;
}

}  // namespace run::apply
