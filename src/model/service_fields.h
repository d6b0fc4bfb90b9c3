#pragma once

#include <map>
#include <string>

#include "model/desired_state.h"

namespace run::model {

/// The fields of a service flattened to `path -> text`: the one form that hashing, the
/// `run.spec` label and field-level diffs share, so they can never disagree.
using FieldMap = std::map<std::string, std::string>;

/// How a secret's value appears in a FieldMap.
enum class SecretForm {
  kValue,        ///< the value itself: only for hashing, never stored or shown
  kFingerprint,  ///< "(sensitive:FINGERPRINT)": labels and plans
};

/// The fields whose change needs a new container: image, command, entrypoint, env, ports,
/// volumes, networks, labels, healthcheck, init, user, working_dir, stop_signal,
/// stop_grace_period. Not replicas, depends_on or update order (they change no container),
/// nor cpu, memory and restart (Docker changes those in place: see in_place_fields).
FieldMap recreate_fields(const ServiceSpec& spec, SecretForm secret_form);

/// cpu, memory and restart policy: "resources.cpu", "resources.memory", "restart" (absent
/// when unset, and restart when "no", Docker's default).
FieldMap in_place_fields(const InPlaceSettings& settings);

/// The text the config hash is taken over: "path=value" lines in path order.
std::string canonical_text(const FieldMap& fields);

/// A FieldMap as a JSON object with sorted keys (the `run.spec` label), and back. Parsing
/// accepts only what to_json writes; anything else gives nullopt.
std::string field_map_to_json(const FieldMap& fields);
std::optional<FieldMap> field_map_from_json(std::string_view json);

/// Whether a field value stands for a secret ("(sensitive:...)").
bool is_sensitive_field(const std::string& value);

/// A duration in milliseconds as the config writes it ("1m30s", "500ms").
std::string format_duration_ms(std::int64_t milliseconds);

/// A byte count in the largest binary unit that divides it: "512M", "1G", "1536K".
std::string format_memory(std::int64_t bytes);

/// A CPU count in its shortest text: "0.5", "2".
std::string format_cpus(double cpus);

/// A port binding in its canonical text: "HOST_IP:HOST_PORT:CONTAINER_PORT/PROTOCOL".
std::string port_text(const PortBinding& port);

}  // namespace run::model
