#pragma once

#include <string>
#include <vector>

#include "docker/docker_api.h"
#include "model/desired_state.h"
#include "model/observed_state.h"

namespace run::apply {

using HealthOutput = model::HealthCheckOutput;

/// What a replica that failed to deploy shows of itself: gathered before any clean-up
/// removes it, with the service's secret values redacted.
struct FailureDiagnostics {
  std::string state;  ///< running, exited, created, ...; empty when the inspect failed
  int exit_code = 0;
  std::vector<HealthOutput> health_outputs;  ///< the last kHealthOutputs, oldest first
  std::vector<std::string> log_lines;        ///< the last kLogLines
};

inline constexpr std::size_t kHealthOutputs = 3;
inline constexpr int kLogLines = 20;

/// One inspect and one log read of `container_id`. Never an error: what could not be read is
/// left out, so the failure being explained stays the one reported.
FailureDiagnostics gather_failure_diagnostics(docker::DockerApi& api,
                                              const std::string& container_id,
                                              const model::ServiceSpec& spec);

/// The report's lines: "state: exited (exit code 3)", "health check: exit 1: refused",
/// "log: ...".
std::vector<std::string> diagnostic_lines(const FailureDiagnostics& diagnostics);

}  // namespace run::apply
