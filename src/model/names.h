#pragma once

#include <string>

namespace run::model {

/// The labels every object run creates carries (DESIGN.md, "Ownership, naming and hashing").
inline constexpr const char* kLabelProject = "run.project";
inline constexpr const char* kLabelEnvironment = "run.environment";
inline constexpr const char* kLabelService = "run.service";
inline constexpr const char* kLabelReplica = "run.replica";
inline constexpr const char* kLabelConfigHash = "run.config-hash";
inline constexpr const char* kLabelDeployment = "run.deployment";
/// The flattened spec the container was made from (secrets as fingerprints): what lets a
/// plan show field-level changes from one list call, without inspecting every container.
inline constexpr const char* kLabelSpec = "run.spec";
/// On a task's one-off container: the task's name. Observing an environment leaves such
/// containers out: they are neither its services nor strangers.
inline constexpr const char* kLabelTask = "run.task";
/// On networks and volumes: their name as written in the config.
inline constexpr const char* kLabelResource = "run.resource";

/// `<project>-<env>-<service>-<replica>`.
std::string container_name(const std::string& project, const std::string& environment,
                           const std::string& service, int replica);

/// `<project>-<env>-task-<task>`: one run of a task at a time.
std::string task_container_name(const std::string& project, const std::string& environment,
                                const std::string& task);

/// `<project>-<env>` for the default network, `<project>-<env>-<name>` for the others.
std::string network_name(const std::string& project, const std::string& environment,
                         const std::string& name);

/// `<project>-<env>-<name>`.
std::string volume_name(const std::string& project, const std::string& environment,
                        const std::string& name);

/// On a swarm service: the image reference as the config writes it. The manager may pin the
/// image to a digest; what the user wrote is what a plan compares.
inline constexpr const char* kLabelImage = "run.image";

/// `<project>-<env>-<service>`: a swarm service's name.
std::string swarm_service_name(const std::string& project, const std::string& environment,
                               const std::string& service);

/// The name of the environment's own network in the config's terms.
inline constexpr const char* kDefaultNetwork = "default";

}  // namespace run::model
