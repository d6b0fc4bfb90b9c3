#pragma once

#include <string>
#include <vector>

#include "model/desired_state.h"
#include "plan/plan.h"

namespace run::plan {

/// The files of a build context that differ between two manifests: added, removed, or with
/// other content, mode or link, sorted by path.
std::vector<std::string> changed_build_files(const std::vector<model::BuildFile>& before,
                                             const std::vector<model::BuildFile>& after);

/// Says why each build of `plan` is needed, comparing the inputs with those of the same
/// service in the last deployment record: "context changed (src/server.sh, Dockerfile)",
/// "build arg LOG_LEVEL: info -> debug", "target: dev -> prod", or "image missing" when the
/// inputs are what the record built (the image was removed since) or there is no record.
/// The field changes list each changed input. Pure.
void explain_builds(Plan& plan, const model::DesiredState& desired,
                    const model::DesiredState* recorded);

}  // namespace run::plan
