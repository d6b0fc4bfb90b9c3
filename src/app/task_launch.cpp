#include "app/task_launch.h"

namespace run::app {

namespace {

/// What a task takes of its service: what the container needs to reach and read what the
/// service does. Not ports (they are the service's), health check, replicas or restart.
model::ServiceSpec from_service(const model::ServiceSpec& service) {
  model::ServiceSpec spec;
  spec.image = service.image;
  spec.command = service.command;
  spec.entrypoint = service.entrypoint;
  spec.env = service.env;
  spec.volumes = service.volumes;
  spec.networks = service.networks;
  spec.init = service.init;
  spec.user = service.user;
  spec.working_dir = service.working_dir;
  spec.stop_signal = service.stop_signal;
  spec.stop_grace_period_ms = service.stop_grace_period_ms;
  return spec;
}

model::EnvValue plain(const std::string& value) { return model::EnvValue{value, false, "", ""}; }

}  // namespace

TaskLaunch task_launch(const model::DesiredState& desired, const model::TaskSpec& task,
                       const std::vector<std::string>& args, const std::string& project_directory) {
  const model::ServiceSpec* service =
      task.service.empty() ? nullptr : desired.find_service(task.service);
  model::ServiceSpec spec = service ? from_service(*service) : model::ServiceSpec{};
  // The alias the environment's network gives it: never a service's name.
  spec.name = "task-" + task.name;
  if (!task.image.empty()) spec.image = task.image;
  if (!task.user.empty()) spec.user = task.user;
  if (!task.command.empty() || !args.empty()) {
    std::vector<std::string> command =
        task.command.empty() && spec.command ? *spec.command : task.command;
    command.insert(command.end(), args.begin(), args.end());
    spec.command = command;
  }
  for (const auto& [name, value] : task.env) spec.env[name] = value;
  spec.env["RUN_PROJECT"] = plain(desired.project);
  spec.env["RUN_ENVIRONMENT"] = plain(desired.environment);
  spec.env["RUN_TASK"] = plain(task.name);
  spec.volumes.insert(spec.volumes.end(), task.volumes.begin(), task.volumes.end());
  TaskLaunch launch{desired.project, desired.environment, task.name,
                    std::move(spec), project_directory,   std::nullopt};
  if (task.timeout_ms) launch.timeout = std::chrono::milliseconds(*task.timeout_ms);
  return launch;
}

}  // namespace run::app
