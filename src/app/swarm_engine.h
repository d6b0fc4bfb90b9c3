#pragma once

#include <memory>

#include "app/engine.h"
#include "docker/docker_api.h"

namespace run::app {

/// Services on a swarm, through one of its managers: observe_swarm, make_swarm_plan, the lock
/// as a swarm config, and the swarm executor. A swarm's tasks run on nodes this engine does
/// not reach: logs, exec and task runs are refused with what to use instead, before any of
/// these methods is called (app/swarm_refusal.h).
class SwarmEngine final : public Engine {
 public:
  explicit SwarmEngine(std::unique_ptr<docker::DockerApi> api) : api_(std::move(api)) {}

  Result<model::ObservedState> observe(const model::DesiredState& desired) override;
  plan::Plan plan(const model::DesiredState& desired, const model::ObservedState& observed,
                  const plan::PlanOptions& options) const override;
  Result<LockAttempt> try_lock(const std::string& project, const std::string& environment,
                               const std::string& command, std::chrono::milliseconds wait,
                               const std::atomic<bool>& stop) override;
  apply::ExecutionReport execute(const plan::Plan& plan, const ExecutionRequest& request) override;
  Result<std::optional<docker::LockHolder>> force_unlock(const std::string& project,
                                                         const std::string& environment) override;
  Result<std::vector<docker::LogLine>> read_logs(const std::string& container_id,
                                                 const docker::LogRequest& request) override;
  Status follow_logs(const std::string& container_id, const docker::LogRequest& request,
                     const std::function<void(const docker::LogLine&)>& on_line,
                     const std::atomic<bool>& stop) override;
  Result<int> exec(const std::string& container_id, const std::vector<std::string>& command,
                   const docker::OutputSink& on_output, const std::atomic<bool>& stop) override;
  Result<std::unique_ptr<docker::ExecSession>> start_exec_session(
      const std::string& container_id, const docker::ExecSessionSpec& spec) override;
  Result<docker::ContainerExit> run_task(const TaskLaunch& launch,
                                         const std::function<void(const docker::LogLine&)>& on_line,
                                         const std::atomic<bool>& stop) override;

 private:
  std::unique_ptr<docker::DockerApi> api_;
};

}  // namespace run::app
