#include "app/docker_engine.h"

#include "app/context_image_builder.h"
#include "app/held_environment_lock.h"
#include "docker/container_body.h"
#include "docker/observe.h"
#include "model/names.h"

namespace run::app {

Result<model::ObservedState> DockerEngine::observe(const model::DesiredState& desired) {
  return docker::observe(*api_, desired);
}

plan::Plan DockerEngine::plan(const model::DesiredState& desired,
                              const model::ObservedState& observed,
                              const plan::PlanOptions& options) const {
  return plan::make_plan(desired, observed, options);
}

Result<LockAttempt> DockerEngine::try_lock(const std::string& project,
                                           const std::string& environment,
                                           const std::string& command,
                                           std::chrono::milliseconds wait,
                                           const std::atomic<bool>& stop) {
  return held_lock_of(docker::EnvironmentLock::try_acquire(
      docker::container_lock_objects(*api_), project, environment, command, wait, &stop));
}

apply::ExecutionReport DockerEngine::execute(const plan::Plan& plan,
                                             const ExecutionRequest& request) {
  ContextImageBuilder builder(*api_, request.desired.project, request.open_context,
                              request.no_cache);
  apply::ExecutionContext context{*api_,
                                  request.desired,
                                  request.project_directory,
                                  request.deployment,
                                  request.progress,
                                  request.stop,
                                  request.options,
                                  &builder};
  return apply::execute(plan, context);
}

Result<std::optional<docker::LockHolder>> DockerEngine::force_unlock(
    const std::string& project, const std::string& environment) {
  return docker::force_unlock(*docker::container_lock_objects(*api_), project, environment);
}

Result<std::vector<docker::LogLine>> DockerEngine::read_logs(const std::string& container_id,
                                                             const docker::LogRequest& request) {
  return docker::read_container_logs(*api_, container_id, request);
}

Status DockerEngine::follow_logs(const std::string& container_id, const docker::LogRequest& request,
                                 const std::function<void(const docker::LogLine&)>& on_line,
                                 const std::atomic<bool>& stop) {
  return docker::follow_container_logs(*api_, container_id, request, on_line, stop);
}

Result<int> DockerEngine::exec(const std::string& container_id,
                               const std::vector<std::string>& command,
                               const docker::OutputSink& on_output, const std::atomic<bool>& stop) {
  return docker::exec_in_container(*api_, container_id, command, on_output, stop);
}

Result<std::unique_ptr<docker::ExecSession>> DockerEngine::start_exec_session(
    const std::string& container_id, const docker::ExecSessionSpec& spec) {
  return docker::start_exec_session(*api_, container_id, spec);
}

Result<docker::ContainerExit> DockerEngine::run_task(
    const TaskLaunch& launch, const std::function<void(const docker::LogLine&)>& on_line,
    const std::atomic<bool>& stop) {
  docker::ContainerPlacement placement{launch.project,
                                       launch.environment,
                                       launch.project_directory,
                                       {{model::kLabelProject, launch.project},
                                        {model::kLabelEnvironment, launch.environment},
                                        {model::kLabelTask, launch.task}}};
  docker::TaskContainer task{
      model::task_container_name(launch.project, launch.environment, launch.task),
      docker::container_create_body(launch.container, placement),
      {},
      launch.timeout};
  for (const std::string& network : launch.container.networks)
    task.networks.push_back(model::network_name(launch.project, launch.environment, network));
  return docker::run_task_container(*api_, task, on_line, stop);
}

}  // namespace run::app
