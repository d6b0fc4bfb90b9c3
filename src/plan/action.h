#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/desired_state.h"

namespace run::plan {

/// kBuild makes an image from a service's `build:` section (ResourceKind::kImage); every
/// other kind acts on a container, network or volume, or on a swarm service (create, update
/// and remove only: the manager replaces its tasks itself).
enum class ActionKind { kCreate, kUpdate, kReplace, kStart, kRemove, kBuild };
enum class ResourceKind { kContainer, kNetwork, kVolume, kImage, kService };

/// Who moved since the last successful deployment record, so that this action is needed
/// (plan/drift.h): the config (a desired change), the live environment (drift: a container
/// removed, stopped, changed or made by hand, an image rebuilt behind its tag), or both.
enum class DriftCause { kDesiredChange, kLiveDrift, kBoth };

/// One field that differs: `before` is what runs now, `after` what the config asks for;
/// nullopt when the field is absent on that side (an empty value is ""). A secret shows as
/// "(sensitive)" on both sides, but its path still names the key that changed.
struct FieldChange {
  std::string path;
  std::optional<std::string> before;
  std::optional<std::string> after;
  bool sensitive = false;

  bool operator==(const FieldChange&) const = default;
};

/// One step of a plan: what to do, to which object, and why.
struct Action {
  ActionKind kind = ActionKind::kCreate;
  ResourceKind resource = ResourceKind::kContainer;
  std::string service;  ///< for containers and builds; empty for networks and volumes
  int replica = 0;      ///< for containers, 1..n; 0 for a build
  std::string name;     ///< the Docker object's name (a build: the image reference it tags)
  std::string reason;   ///< the cause, in words: "image changed", "not in config", ...
  std::vector<FieldChange> changes;
  std::vector<std::string> replace_fields;  ///< for a replace: the fields that force it
  std::string existing_id;  ///< the object acted on, for update, replace, start and remove
  std::string config_hash;  ///< for a container create or replace: the new container's hash
  std::string image;        ///< for a container create or replace: the image it is made from
  /// What must be started, healthy or completed before this action may run: the service's
  /// depends_on for a create, replace or start; nothing for an update or a removal.
  std::vector<model::Dependency> wait_for;
  /// For a swarm service's update: the Version.Index it was planned against (the manager
  /// refuses an update of any other version, so a plan made before someone else's change
  /// cannot undo it), and its ForceUpdate, sent back unchanged.
  std::uint64_t service_version = 0;
  std::uint64_t force_update = 0;
  /// For a swarm service's update: whether its tasks are replaced (a field of the task
  /// changed), so that apply waits for the rollout; scaling and rollout settings are not.
  bool restarts_tasks = false;
  /// Set by classify_drift when the plan was compared with a deployment record; absent
  /// without history.
  std::optional<DriftCause> drift;
};

std::string_view to_string(ActionKind kind);
std::string_view to_string(ResourceKind kind);

}  // namespace run::plan
