#include "model/desired_state.h"

#include <algorithm>

namespace run::model {

const ServiceSpec* DesiredState::find_service(const std::string& name) const {
  auto it = std::find_if(services.begin(), services.end(),
                         [&](const ServiceSpec& s) { return s.name == name; });
  return it == services.end() ? nullptr : &*it;
}

const TaskSpec* DesiredState::find_task(const std::string& name) const {
  auto it = std::find_if(tasks.begin(), tasks.end(),
                         [&](const TaskSpec& task) { return task.name == name; });
  return it == tasks.end() ? nullptr : &*it;
}

std::string_view to_string(DependencyCondition condition) {
  switch (condition) {
    case DependencyCondition::kStarted:
      return "started";
    case DependencyCondition::kHealthy:
      return "healthy";
    case DependencyCondition::kCompletedSuccessfully:
      return "completed_successfully";
  }
  return "started";
}

std::string_view to_string(UpdateOrder order) {
  return order == UpdateOrder::kStartFirst ? "start-first" : "stop-first";
}

std::string_view to_string(TaskWhen when) {
  switch (when) {
    case TaskWhen::kManual:
      return "manual";
    case TaskWhen::kPreDeploy:
      return "pre-deploy";
    case TaskWhen::kPostDeploy:
      return "post-deploy";
  }
  return "manual";
}

std::string_view to_string(DeployTarget target) {
  return target == DeployTarget::kSwarm ? "swarm" : "containers";
}

std::string_view to_string(SwarmMode mode) {
  switch (mode) {
    case SwarmMode::kReplicated:
      return "replicated";
    case SwarmMode::kGlobal:
      return "global";
    case SwarmMode::kReplicatedJob:
      return "replicated-job";
  }
  return "replicated";
}

}  // namespace run::model
