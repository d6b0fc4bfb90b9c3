#include "plan/drift.h"

#include "model/swarm_fields.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "model/names.h"
#include "model/service_fields.h"

namespace run::plan {

namespace {

using model::FieldMap;
using model::ObservedContainer;
using model::ServiceSpec;

/// What moved for one action since the record: the config, the live object, or both.
struct Movement {
  bool config = false;
  bool live = false;
};

/// The action exists because the live object differs from the config. If the config did
/// not move since the record, the record's apply made the object match it, so the object
/// moved since: no action is left without a cause.
DriftCause cause_of(Movement movement) {
  if (!movement.config) return DriftCause::kLiveDrift;
  return movement.live ? DriftCause::kBoth : DriftCause::kDesiredChange;
}

/// A create or remove concerns only the object's presence.
Movement presence_movement(ActionKind kind, bool in_record) {
  if (kind == ActionKind::kCreate) return {.config = !in_record, .live = in_record};
  return {.config = in_record, .live = !in_record};
}

/// Every field a container is compared on, in the form labels and plans use (secrets as
/// fingerprints, so a recorded state without secret values compares equal).
FieldMap spec_fields(const ServiceSpec& spec) {
  FieldMap fields = model::recreate_fields(spec, model::SecretForm::kFingerprint);
  fields.merge(model::in_place_fields(spec.in_place));
  return fields;
}

/// The container's fields as it runs: its `run.spec` label and its inspected settings;
/// nullopt when the label is missing or unreadable (it was not made by this run).
std::optional<FieldMap> container_fields(const ObservedContainer& container) {
  std::optional<FieldMap> fields = model::field_map_from_json(container.label(model::kLabelSpec));
  if (!fields) return std::nullopt;
  fields->merge(model::in_place_fields(
      model::InPlaceSettings{container.cpus, container.memory_bytes, container.restart}));
  return fields;
}

std::optional<std::string> value_at(const FieldMap& fields, const std::string& path) {
  auto it = fields.find(path);
  if (it == fields.end()) return std::nullopt;
  return it->second;
}

/// Each field where the container differs from the config: did the config move it
/// (record != config), the container (container != record), or both?
Movement field_movement(const FieldMap& running, const FieldMap& recorded, const FieldMap& wanted) {
  std::set<std::string> paths;
  for (const auto& [path, value] : running) paths.insert(path);
  for (const auto& [path, value] : wanted) paths.insert(path);
  Movement movement;
  for (const std::string& path : paths) {
    std::optional<std::string> now = value_at(running, path);
    std::optional<std::string> want = value_at(wanted, path);
    if (now == want) continue;
    std::optional<std::string> then = value_at(recorded, path);
    movement.config = movement.config || then != want;
    movement.live = movement.live || now != then;
  }
  return movement;
}

/// One replica the record had: the name it would run under, its service and number.
struct RecordedReplica {
  const ServiceSpec* spec = nullptr;
  int replica = 0;
};

class DriftClassifier {
 public:
  DriftClassifier(const model::DesiredState& desired, const model::ObservedState& observed,
                  const model::DesiredState& recorded)
      : desired_(desired), observed_(observed), recorded_(recorded) {
    for (const ServiceSpec& spec : recorded.services)
      for (int replica = 1; replica <= spec.replicas; ++replica)
        recorded_replicas_[model::container_name(recorded.project, recorded.environment, spec.name,
                                                 replica)] = {&spec, replica};
    for (const model::NetworkSpec& network : recorded.networks)
      recorded_networks_.insert(
          model::network_name(recorded.project, recorded.environment, network.name));
    for (const model::VolumeSpec& volume : recorded.volumes)
      recorded_volumes_.insert(
          model::volume_name(recorded.project, recorded.environment, volume.name));
  }

  DriftCause classify(const Action& action) const {
    switch (action.resource) {
      case ResourceKind::kNetwork:
        return cause_of(presence_movement(action.kind, recorded_networks_.count(action.name) > 0));
      case ResourceKind::kVolume:
        return cause_of(presence_movement(action.kind, recorded_volumes_.count(action.name) > 0));
      case ResourceKind::kContainer:
        return cause_of(container_movement(action));
      case ResourceKind::kImage:
        return cause_of(build_movement(action));
      case ResourceKind::kService:
        return cause_of(service_movement(action));
    }
    return DriftCause::kBoth;
  }

 private:
  /// The record's spec for the replica this action acts on, matched by the container's
  /// name, service and replica number (a stray never matches); nullptr when it had none.
  const ServiceSpec* recorded_spec(const Action& action) const {
    auto it = recorded_replicas_.find(action.name);
    if (it == recorded_replicas_.end()) return nullptr;
    const RecordedReplica& recorded = it->second;
    if (recorded.spec->name != action.service || recorded.replica != action.replica) return nullptr;
    return recorded.spec;
  }

  const ObservedContainer* container_with_id(const std::string& id) const {
    auto it = std::find_if(observed_.containers.begin(), observed_.containers.end(),
                           [&](const ObservedContainer& container) { return container.id == id; });
    return it == observed_.containers.end() ? nullptr : &*it;
  }

  Movement container_movement(const Action& action) const {
    const ServiceSpec* recorded = recorded_spec(action);
    const ServiceSpec* wanted = desired_.find_service(action.service);
    if (action.kind == ActionKind::kRemove || wanted == nullptr)
      return presence_movement(ActionKind::kRemove, recorded != nullptr);
    if (action.kind == ActionKind::kCreate) return create_movement(recorded, *wanted);
    // The container exists, but the record had no such replica: made outside it.
    if (recorded == nullptr) return {.config = true, .live = true};
    if (action.kind == ActionKind::kStart) return {.config = false, .live = true};
    return changed_movement(action, *recorded, *wanted);
  }

  /// A build: the inputs moved since the record (a desired change), or the record's image
  /// is gone from the daemon (live drift: someone pruned it).
  Movement build_movement(const Action& action) const {
    const ServiceSpec* wanted = desired_.find_service(action.service);
    const ServiceSpec* recorded = recorded_.find_service(action.service);
    if (wanted == nullptr || !wanted->build || recorded == nullptr || !recorded->build)
      return {.config = true, .live = false};
    bool inputs_moved = recorded->build->content_hash != wanted->build->content_hash;
    return {.config = inputs_moved, .live = !inputs_moved};
  }

  /// A swarm service: its presence, or each changed field against the record's (the
  /// action's changes carry what runs and what is wanted; a secret, shown as "(sensitive)"
  /// on both sides, counts as moved on both).
  Movement service_movement(const Action& action) const {
    const ServiceSpec* recorded = recorded_.find_service(action.service);
    const ServiceSpec* wanted = desired_.find_service(action.service);
    if (action.kind == ActionKind::kRemove || wanted == nullptr)
      return presence_movement(ActionKind::kRemove, recorded != nullptr);
    if (action.kind == ActionKind::kCreate)
      return presence_movement(action.kind, recorded != nullptr);
    if (recorded == nullptr) return {.config = true, .live = true};
    FieldMap then = model::swarm_fields(*recorded, model::SecretForm::kFingerprint);
    Movement movement;
    for (const FieldChange& change : action.changes) {
      if (change.sensitive) {
        movement.config = movement.live = true;
        continue;
      }
      std::optional<std::string> was = value_at(then, change.path);
      movement.config = movement.config || was != change.after;
      movement.live = movement.live || was != change.before;
    }
    if (action.changes.empty()) movement.live = true;  // a paused rollout resumed
    return movement;
  }

  static Movement create_movement(const ServiceSpec* recorded, const ServiceSpec& wanted) {
    Movement movement = presence_movement(ActionKind::kCreate, recorded != nullptr);
    if (recorded != nullptr && spec_fields(*recorded) != spec_fields(wanted))
      movement.config = true;
    return movement;
  }

  /// An update or replace: compare field by field.
  Movement changed_movement(const Action& action, const ServiceSpec& recorded,
                            const ServiceSpec& wanted) const {
    const ObservedContainer* container = container_with_id(action.existing_id);
    std::optional<FieldMap> running = container ? container_fields(*container) : std::nullopt;
    FieldMap then = spec_fields(recorded);
    FieldMap want = spec_fields(wanted);
    // Without the container's spec label, its fields cannot be compared: it was not made
    // as the record says, which is drift; the config may have moved as well.
    if (!running) return {.config = then != want, .live = true};
    return field_movement(*running, then, want);
  }

  const model::DesiredState& desired_;
  const model::ObservedState& observed_;
  const model::DesiredState& recorded_;
  std::map<std::string, RecordedReplica> recorded_replicas_;  ///< by container name
  std::set<std::string> recorded_networks_;                   ///< Docker names
  std::set<std::string> recorded_volumes_;                    ///< Docker names
};

}  // namespace

void classify_drift(Plan& plan, const model::DesiredState& desired,
                    const model::ObservedState& observed, const model::DesiredState* recorded,
                    int record_number) {
  if (recorded == nullptr) return;
  DriftClassifier classifier(desired, observed, *recorded);
  for (Action& action : plan.actions) action.drift = classifier.classify(action);
  plan.drift_record = record_number;
}

std::string_view to_string(DriftCause cause) {
  switch (cause) {
    case DriftCause::kDesiredChange:
      return "desired";
    case DriftCause::kLiveDrift:
      return "live";
    case DriftCause::kBoth:
      return "both";
  }
  return "both";
}

DriftSummary drift_summary(const Plan& plan) {
  DriftSummary summary;
  for (const Action& action : plan.actions) {
    if (!action.drift) continue;
    switch (*action.drift) {
      case DriftCause::kDesiredChange:
        ++summary.desired;
        break;
      case DriftCause::kLiveDrift:
        ++summary.live;
        break;
      case DriftCause::kBoth:
        ++summary.both;
        break;
    }
  }
  return summary;
}

}  // namespace run::plan
