#include "app/swarm_engine.h"

#include "app/held_environment_lock.h"
#include "apply/swarm_executor.h"
#include "docker/swarm_lock.h"
#include "docker/swarm_observe.h"
#include "plan/swarm_planner.h"

namespace run::app {

namespace {

/// What the use cases refuse before they get here (refuse_on_swarm); reaching it is a bug of
/// a new use case, said plainly instead of acting on the wrong containers.
Diagnostic not_on_a_swarm(const std::string& what) {
  return make_error(SourceLocation{}, "", what + " is not available on a swarm target");
}

}  // namespace

Result<model::ObservedState> SwarmEngine::observe(const model::DesiredState& desired) {
  return docker::observe_swarm(*api_, desired);
}

plan::Plan SwarmEngine::plan(const model::DesiredState& desired,
                             const model::ObservedState& observed,
                             const plan::PlanOptions& options) const {
  return plan::make_swarm_plan(desired, observed, options);
}

Result<LockAttempt> SwarmEngine::try_lock(const std::string& project,
                                          const std::string& environment,
                                          const std::string& command,
                                          std::chrono::milliseconds wait,
                                          const std::atomic<bool>& stop) {
  if (Status manager = docker::require_swarm_manager(*api_, environment); !manager)
    return manager.errors();
  return held_lock_of(docker::EnvironmentLock::try_acquire(
      docker::swarm_lock_objects(*api_), project, environment, command, wait, &stop));
}

apply::ExecutionReport SwarmEngine::execute(const plan::Plan& plan,
                                            const ExecutionRequest& request) {
  apply::SwarmExecution execution{
      *api_, request.desired, request.deployment, request.progress, request.stop, request.options};
  return apply::execute_on_swarm(plan, execution);
}

Result<std::optional<docker::LockHolder>> SwarmEngine::force_unlock(
    const std::string& project, const std::string& environment) {
  return docker::force_unlock(*docker::swarm_lock_objects(*api_), project, environment);
}

Result<std::vector<docker::LogLine>> SwarmEngine::read_logs(const std::string&,
                                                            const docker::LogRequest&) {
  return not_on_a_swarm("reading a container's logs");
}

Status SwarmEngine::follow_logs(const std::string&, const docker::LogRequest&,
                                const std::function<void(const docker::LogLine&)>&,
                                const std::atomic<bool>&) {
  return not_on_a_swarm("following a container's logs");
}

Result<int> SwarmEngine::exec(const std::string&, const std::vector<std::string>&,
                              const docker::OutputSink&, const std::atomic<bool>&) {
  return not_on_a_swarm("exec");
}

Result<std::unique_ptr<docker::ExecSession>> SwarmEngine::start_exec_session(
    const std::string&, const docker::ExecSessionSpec&) {
  return not_on_a_swarm("exec");
}

Result<docker::ContainerExit> SwarmEngine::run_task(
    const TaskLaunch&, const std::function<void(const docker::LogLine&)>&,
    const std::atomic<bool>&) {
  return not_on_a_swarm("a task run");
}

}  // namespace run::app
