#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace run::plan {

/// The states a plan was made between, as `run plan --out` fingerprints them: the project and
/// environment, a hash of each state's fingerprint text, and the text's lines (to say what
/// moved). Read from a saved plan, or taken now from the desired and the observed state.
struct PlanFingerprints {
  std::string project;
  std::string environment;
  std::string desired_hash;
  std::string observed_hash;
  std::set<std::string> desired_lines;
  std::set<std::string> observed_lines;
};

/// The lines of a fingerprint text (model::desired_fingerprint_text), as a set.
std::set<std::string> fingerprint_lines(const std::string& text);
/// The same lines in the order of the text, as a saved plan lists them.
std::vector<std::string> fingerprint_lines_in_order(const std::string& text);

/// Whether the plan saved in `file` with `saved` still holds `now`: ok, or an error that the
/// plan is for another project or environment, or that it is stale, naming what moved in the
/// configuration ("was:"/"now:" lines, at most 20 of each kind) and in the environment. Image
/// lines of images only one side names are not a move: a config that names another image adds
/// such a line without the environment having changed. Pure.
Status check_saved_plan(const PlanFingerprints& saved, const PlanFingerprints& now,
                        const std::string& file);

}  // namespace run::plan
