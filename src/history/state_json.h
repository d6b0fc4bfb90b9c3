#pragma once

#include <string>
#include <string_view>

#include "config/interpolate.h"
#include "core/result.h"
#include "model/desired_state.h"

namespace run::history {

/// The format_version that state_to_json writes and state_from_json reads.
inline constexpr std::string_view kStateFormatVersion = "1";

/// state.json of a deployment record: the whole typed desired state, pretty-printed with
/// two-space indents, members in a fixed order, every member always present (`null` for an
/// unset optional, so "absent" and "empty" stay apart: `"command": null` is the image's
/// command, `"command": []` an empty one):
///
///     {"format_version": "1", "project": ..., "environment": ..., "protected": false,
///      "services": [{"name", "image", "command", "entrypoint", "environment", "ports",
///                    "volumes", "networks", "labels", "healthcheck", "init", "user",
///                    "working_dir", "stop_signal", "stop_grace_period_ms",
///                    "resources": {"cpus", "memory_bytes"}, "restart", "replicas",
///                    "depends_on", "update_order", "swarm", "config_hash"}, ...],
///      "networks": [{"name", "internal", "labels"}], "volumes": [{"name", "labels"}]}
///
/// Two members of a service are written only when they say something: "build" for a built
/// service, and "swarm" when its swarm settings are not the default ones (see
/// history/swarm_settings_json.h), so the records of a container target are what they were
/// before swarm targets existed.
///
/// Durations are integers in milliseconds and memory in bytes, as the model holds them, so
/// nothing is rounded. `environment` maps a plain variable to its value and a secret to
/// `{"secret": REFERENCE, "fingerprint": FP}`: the reference is the text with each secret
/// as `${secret:NAME}`, so a secret's value is never written. `config_hash` is the hash the
/// deployment labelled its containers with, kept for readers and drift checks only: it
/// covers secret values, so it cannot be checked on reading, and resolve_secrets
/// recomputes it from the secrets of today.
///
/// Precondition: every sensitive EnvValue has its `reference` (the builder sets it).
std::string state_to_json(const model::DesiredState& state);

/// Parses exactly the format above (any member order). Every problem is reported, each with
/// `what` (e.g. "record 12 of production: state.json") as its location and the JSON path of
/// the member at fault; a format_version other than "1" is one error that says which
/// version this run reads. Secrets come back with an empty `value`, `sensitive`, and their
/// `fingerprint` and `reference`; `config_hash` is the recorded one. Call resolve_secrets
/// before planning with the state.
Result<model::DesiredState> state_from_json(std::string_view json, const std::string& what);

/// Gives every secret of a restored state its value again: each sensitive EnvValue's
/// `reference` is interpolated with the secrets of `scope` (a missing secret is always an
/// error here, whatever `scope.missing_secret` says), its fingerprint is taken again, and
/// then every service's config_hash is recomputed as the builder computes it, so a rotated
/// secret gives a new hash and recreates. Errors name the secret, the service's env key
/// (`services.db.env.PASSWORD`) and where to set the secret; the state is left partly
/// resolved on error and must not be used.
Status resolve_secrets(model::DesiredState& state, const config::InterpolationScope& scope);

}  // namespace run::history
