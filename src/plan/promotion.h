#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/desired_state.h"
#include "plan/promote_fields.h"

namespace run::plan {

/// One value `run promote FROM TO` writes into TO's overlay.
struct PromotionEdit {
  std::string service;
  PromoteField field;
  std::vector<std::string> overlay_path;  ///< {"services", SERVICE, "image"} or {..., "env", NAME}
  std::optional<std::string> current;     ///< TO's value now, as rendered; none when unset
  std::string promoted;                   ///< FROM's value, as its deployment recorded it
  /// What the overlay gets: `promoted` with each `$` written `$$`, so that interpolation
  /// gives back exactly the recorded value.
  std::string overlay_text;
};

/// What promoting one environment's deployed state into another's configuration changes.
struct Promotion {
  std::vector<PromotionEdit> edits;  ///< by service name, then in the order of the fields
  std::vector<std::string> notes;    ///< what was left out, and why; one line each
};

/// For every service of `from` (the state FROM's last successful deployment recorded) that
/// `to` (TO's desired state now) also has, and every field of `fields`, an edit when the two
/// values differ. Pure. Left out, each with a note: a service only FROM has (its overlay
/// would have to invent it); a variable that is a secret in FROM (a secret's value is never
/// recorded, and never copied) or in TO (its reference is kept); a variable TO sets and FROM
/// does not (promote sets values, it does not remove them). A variable neither sets is
/// simply not there.
Promotion plan_promotion(const model::DesiredState& from, const model::DesiredState& to,
                         const std::vector<PromoteField>& fields);

/// One line per edit for a terminal or a commit message: "app tsp/app:1.4.2 ->
/// tsp/app:1.4.3" for an image, "app env.LOG_LEVEL (unset) -> debug" for a variable.
std::string edit_line(const PromotionEdit& edit);

}  // namespace run::plan
