#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "docker/container_logs.h"
#include "docker/docker_api.h"

namespace run::docker {

/// A one-off container to run to its end: a task.
struct TaskContainer {
  std::string name;         ///< `<project>-<env>-task-<task>`: one run of a task at a time
  std::string create_body;  ///< POST /containers/create's body (container_create_body)
  std::vector<std::string> networks;  ///< Docker names of the extra networks it joins
  std::optional<std::chrono::milliseconds> timeout;  ///< none: no limit
};

/// How the container ended: on its own (with its exit code), or stopped by run.
enum class ContainerEnd { kExited, kTimedOut, kInterrupted };

struct ContainerExit {
  ContainerEnd end = ContainerEnd::kExited;
  int exit_code = 0;  ///< when kExited
};

/// Creates the container (first removing a stopped one of the same task that a killed run
/// left behind), joins its networks, starts it and passes its output lines to `on_line` as
/// they come (from the calling thread) until it exits; then removes it. When `stop` is set
/// or the timeout passes first, the container is removed at once (killed) and the end says
/// which. Errors: Docker's (no such image, network), the task already running (its container
/// is up), a name held by a container that is not a task's; the container is removed then
/// too, when it was made.
Result<ContainerExit> run_task_container(DockerApi& api, const TaskContainer& task,
                                         const std::function<void(const LogLine&)>& on_line,
                                         const std::atomic<bool>& stop);

}  // namespace run::docker
