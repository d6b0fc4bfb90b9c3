#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/engine_spec.h"
#include "model/swarm_settings.h"

#include "core/diagnostic.h"

namespace run::model {

/// An environment variable's value. A secret keeps its value (containers need it, the config
/// hash covers it, so a rotated secret recreates) and a keyed fingerprint, which is all that
/// plans, labels and history ever show of it.
struct EnvValue {
  std::string value;
  bool sensitive = false;
  std::string fingerprint;  ///< for a secret: a short keyed hash of the value; else empty
  /// For a secret: the text with each secret as `${secret:NAME}` (other variables already
  /// resolved), which is what history stores and what a rollback resolves again.
  std::string reference;

  bool operator==(const EnvValue&) const = default;
};

struct PortBinding {
  std::string host_ip;  ///< empty: every address
  int host_port = 0;    ///< 0: the daemon picks one
  int container_port = 0;
  std::string protocol = "tcp";

  bool operator==(const PortBinding&) const = default;
};

enum class MountKind { kVolume, kBind };

struct Mount {
  MountKind kind = MountKind::kVolume;
  std::string source;  ///< a volume's name as written in the config, or a host path
  std::string target;
  bool read_only = false;

  bool operator==(const Mount&) const = default;
};

struct HealthCheck {
  std::vector<std::string> test;  ///< ["CMD", ...] or ["CMD-SHELL", "..."]
  std::int64_t interval_ms = 0;   ///< 0: the daemon's default
  std::int64_t timeout_ms = 0;
  std::int64_t start_period_ms = 0;
  int retries = 0;

  bool operator==(const HealthCheck&) const = default;
};

enum class DependencyCondition { kStarted, kHealthy, kCompletedSuccessfully };

struct Dependency {
  std::string service;
  DependencyCondition condition = DependencyCondition::kStarted;

  bool operator==(const Dependency&) const = default;
};

/// How a replace runs. stop-first is the default: a service that publishes a host port
/// cannot run two containers at once, and stop-first never needs twice the resources.
enum class UpdateOrder { kStopFirst, kStartFirst };

/// The resources Docker can change on a running container (POST /containers/{id}/update):
/// compared on their own, never part of the config hash.
struct InPlaceSettings {
  std::optional<double> cpus;
  std::optional<std::int64_t> memory_bytes;
  std::string restart = "no";  ///< no | always | on-failure | unless-stopped

  bool operator==(const InPlaceSettings&) const = default;
};

/// One file of a build context as the content hash saw it (build/context_manifest.h reads
/// it). Kept in each deployment record, so that a plan can name the files that force a
/// rebuild.
struct BuildFile {
  std::string path;    ///< relative to the context, '/'-separated
  std::string sha256;  ///< of the content, or of a symlink's target text
  bool executable = false;
  bool symlink = false;

  bool operator==(const BuildFile&) const = default;
};

/// A service's `build:` section, typed. The configuration gives the inputs; reading the
/// context (app/build_resolution.h) adds the manifest and the content hash, which names the
/// image's tag, before anything is planned.
struct BuildSpec {
  std::string context;                      ///< as written, relative to the project
  std::string dockerfile = "Dockerfile";    ///< inside the context
  std::map<std::string, std::string> args;  ///< never secrets: refused by validation
  std::string target;                       ///< empty: the last stage
  std::map<std::string, std::string> labels;
  std::string repository;        ///< `image:` without its tag, else `<project>/<service>`
  SourceLocation location;       ///< where `context:` is written, for errors about the context
  std::string content_hash;      ///< sha256 hex of the inputs; empty until the context is read
  std::vector<BuildFile> files;  ///< the context's files the hash covers, by path
};

/// One service, typed and canonical (lists in the order written, maps sorted by key).
struct ServiceSpec {
  std::string name;
  /// The image reference. For a built service `repository:TAG`, TAG the first 12 hex digits
  /// of the build's content hash (just `repository` until the context has been read).
  std::string image;
  std::optional<BuildSpec> build;                      ///< none: the image is pulled or local
  std::optional<std::vector<std::string>> command;     ///< none: the image's
  std::optional<std::vector<std::string>> entrypoint;  ///< none: the image's
  std::map<std::string, EnvValue> env;
  std::vector<PortBinding> ports;
  std::vector<Mount> volumes;
  std::vector<std::string> networks;  ///< besides the environment's default network
  std::map<std::string, std::string> labels;
  std::optional<HealthCheck> healthcheck;
  bool init = false;
  std::string user;
  std::string working_dir;
  std::string stop_signal;
  std::optional<std::int64_t> stop_grace_period_ms;
  InPlaceSettings in_place;
  int replicas = 1;
  std::vector<Dependency> depends_on;
  UpdateOrder update_order = UpdateOrder::kStopFirst;
  SwarmSettings swarm;      ///< used only on a swarm target
  std::string config_hash;  ///< sha256 of canonical_spec_text(): set by the builder
};

struct NetworkSpec {
  std::string name;  ///< as written in the config ("default" for the environment's own)
  bool internal = false;
  std::map<std::string, std::string> labels;
};

struct VolumeSpec {
  std::string name;  ///< as written in the config
  std::map<std::string, std::string> labels;
};

/// When a task runs: only when asked (`run task NAME`), or as a hook of every apply that
/// changes something, before any change is made or after all of them succeeded.
enum class TaskWhen { kManual, kPreDeploy, kPostDeploy };

/// One `tasks:` entry, typed: a one-off container. With `service:` it starts from that
/// service's image, env, volumes and networks; its own fields come on top (env by key,
/// volumes appended, `image:` replacing the service's). Not part of a deployment record's
/// state: a rollback restores services, it runs no hook.
struct TaskSpec {
  std::string name;
  std::string service;               ///< empty: the task names its own image
  std::string image;                 ///< empty: the service's
  std::vector<std::string> command;  ///< empty: the image's; `run task NAME -- ARGS` appends
  std::string user;                  ///< empty: the service's, else the image's
  std::map<std::string, EnvValue> env;
  std::vector<Mount> volumes;
  std::optional<std::int64_t> timeout_ms;  ///< none: no limit
  TaskWhen when = TaskWhen::kManual;
  /// Paths of the rendered config ("services.app.image"): a hook runs only when the plan
  /// changes one of them. Empty: whenever the plan changes anything.
  std::vector<std::string> run_if_changed;
};

/// What one environment of a project should look like.
struct DesiredState {
  std::string project;
  std::string environment;
  std::vector<ServiceSpec> services;   ///< sorted by name
  std::vector<NetworkSpec> networks;   ///< sorted by name; the default network first
  std::vector<VolumeSpec> volumes;     ///< sorted by name
  bool protected_environment = false;  ///< `protected: true`: apply asks for its name
  std::vector<TaskSpec> tasks;         ///< sorted by name
  /// `engine:` of the environment; none: DOCKER_HOST, DOCKER_CONTEXT, the local socket.
  /// Where to deploy, not what: never part of a record's state, and never planned.
  std::optional<EngineSpec> engine;
  /// `target:` of the environment. Like the engine, where to deploy: not part of a record.
  DeployTarget target = DeployTarget::kContainers;

  const ServiceSpec* find_service(const std::string& name) const;
  const TaskSpec* find_task(const std::string& name) const;
};

std::string_view to_string(DependencyCondition condition);
std::string_view to_string(UpdateOrder order);
std::string_view to_string(TaskWhen when);

}  // namespace run::model
