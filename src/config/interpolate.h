#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/variable_map.h"
#include "core/result.h"
#include "model/document.h"

namespace run::config {

/// What `${...}` may refer to. Built at the edge (process environment, `.env`, secrets
/// files); interpolation itself reads nothing else.
/// What a reference to a secret that has no value does: `validate`, `render` and `explain`
/// never show secret values, so they need none and only warn; `plan` and `apply` need them.
enum class MissingSecret { kError, kWarning };

struct InterpolationScope {
  VariableMap variables;     ///< the process environment over `.env`
  VariableMap secrets;       ///< `RUN_SECRET_<NAME>` over `.run/secrets/<env>.env`, by NAME
  std::string secrets_file;  ///< where secrets are looked up, for the hint of a missing one
  MissingSecret missing_secret = MissingSecret::kError;
  bool secrets_allowed = true;  ///< false for `.env` values, which are never secret
};

/// The text of one scalar with its references replaced.
struct Interpolated {
  std::string text;
  bool used_secret = false;                  ///< the text holds a secret's value
  std::vector<std::string> missing_secrets;  ///< with MissingSecret::kWarning: left empty
  /// When used_secret: the text with each secret kept as `${secret:NAME}` and every other
  /// '$' written as '$$', so interpolating it again with the same secrets gives `text`.
  std::string reference;
};

/// Replaces, as docker compose does: `$$` (a literal `$`), `$VAR`, `${VAR}`,
/// `${VAR:-default}` / `${VAR-default}` (when unset or empty / unset), `${VAR:?message}` /
/// `${VAR?message}` (an error), `${VAR:+alt}` / `${VAR+alt}` (alt when set), defaults may
/// nest references; and `${secret:NAME}`. Unlike compose, an unset `${VAR}` with no default
/// is an error, not an empty string: a deploy must not run with a silently empty value.
/// Errors carry a message only; the caller adds the location.
Result<Interpolated> interpolate_text(std::string_view text, const InterpolationScope& scope);

/// Interpolates every string scalar of `root` in place (map keys are left as written). A
/// plain scalar is typed again after interpolation (`replicas: ${WORKERS}` is an integer), a
/// quoted one stays a string; a scalar that received a secret is marked sensitive. Reports
/// every failing scalar, each at its file:line:col, and a warning for each missing secret
/// under MissingSecret::kWarning.
Diagnostics interpolate_tree(model::Node& root, const InterpolationScope& scope);

}  // namespace run::config
