#pragma once

#include <string>

#include "app/environment_plan.h"
#include "core/result.h"
#include "plan/saved_plan.h"

namespace run::app {

/// A plan saved by `run plan --out`, as `run apply FILE` is given it.
struct SavedPlanFile {
  std::string path;  ///< as the user named it, for messages
  std::string text;
};

/// The saved form of `run plan --out`: the plan as JSON with fingerprints of the desired and
/// the observed state, and the lines they were taken over (to say what moved).
std::string saved_plan_json(const EnvironmentPlan& planned);

/// The fingerprints of the states a plan is made between, as a saved plan holds them.
plan::PlanFingerprints fingerprints_of(const model::DesiredState& desired,
                                       const model::ObservedState& observed);

/// The fingerprints a saved plan holds; an error when the text is not a plan saved by
/// `run plan --out`.
Result<plan::PlanFingerprints> read_saved_plan(const SavedPlanFile& file);

}  // namespace run::app
