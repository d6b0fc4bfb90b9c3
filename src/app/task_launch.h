#pragma once

#include <string>
#include <vector>

#include "app/engine.h"
#include "model/desired_state.h"

namespace run::app {

/// The container a run of `task` is: its service's image, env, volumes, networks, user,
/// working directory, init and stop settings (when it names one), under the task's own
/// image, user, env (by key) and volumes (after the service's); the task's command with `args`
/// appended, as `docker run IMAGE CMD ARGS` does; RUN_PROJECT, RUN_ENVIRONMENT and RUN_TASK
/// in its env. Never ports, a health check or a restart policy: it runs once, beside the
/// service. Pure.
TaskLaunch task_launch(const model::DesiredState& desired, const model::TaskSpec& task,
                       const std::vector<std::string>& args, const std::string& project_directory);

}  // namespace run::app
