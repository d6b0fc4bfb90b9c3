#include "model/names.h"

namespace run::model {

std::string container_name(const std::string& project, const std::string& environment,
                           const std::string& service, int replica) {
  return project + "-" + environment + "-" + service + "-" + std::to_string(replica);
}

std::string task_container_name(const std::string& project, const std::string& environment,
                                const std::string& task) {
  return project + "-" + environment + "-task-" + task;
}

std::string network_name(const std::string& project, const std::string& environment,
                         const std::string& name) {
  if (name == kDefaultNetwork) return project + "-" + environment;
  return project + "-" + environment + "-" + name;
}

std::string volume_name(const std::string& project, const std::string& environment,
                        const std::string& name) {
  return project + "-" + environment + "-" + name;
}

std::string swarm_service_name(const std::string& project, const std::string& environment,
                               const std::string& service) {
  return project + "-" + environment + "-" + service;
}

}  // namespace run::model
