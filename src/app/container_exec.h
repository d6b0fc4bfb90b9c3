#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "app/engine.h"
#include "core/result.h"
#include "docker/container_exec.h"
#include "model/desired_state.h"
#include "model/observed_state.h"

namespace run::app {

/// What `run exec` runs: a command in one running replica of a service.
struct ExecRequest {
  std::string service_name;
  std::optional<int> replica;  ///< none: replica 1, else the lowest-numbered running one
  std::vector<std::string> command;
};

/// The running container a command runs in.
struct ExecTarget {
  std::string service_name;
  int replica = 0;
  std::string container_id;

  bool operator==(const ExecTarget&) const = default;
};

/// The running container of `request`'s service and replica. Errors: an empty command, a
/// service the desired state does not declare (with a suggestion), a service with no running
/// replica, a --replica that is not there or not running.
Result<ExecTarget> choose_exec_target(const model::DesiredState& desired,
                                      const model::ObservedState& observed,
                                      const ExecRequest& request);

/// One snapshot, then the command in the chosen replica, its output passed to `on_output`
/// byte for byte; the command's exit code (130 when `stop` cut it short). Errors: those of
/// choose_exec_target, the engine's.
Result<int> exec_in_service(Engine& engine, const model::DesiredState& desired,
                            const ExecRequest& request, const docker::OutputSink& on_output,
                            const std::atomic<bool>& stop);

}  // namespace run::app
