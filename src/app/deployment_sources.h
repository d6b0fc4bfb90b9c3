#pragma once

#include <map>
#include <string>

#include "app/workspace.h"
#include "core/result.h"
#include "model/desired_state.h"

namespace run::app {

/// Each deployment record of `desired`'s environment by its number (as the run.deployment label of
/// a container writes it) -> the commit it was deployed from ("3f2a1bc04d1e", with "+dirty" when
/// the working tree had uncommitted changes); records made outside git are left out. A rollback's
/// source is that of the record it went back to: its state, and its builds, came from there. What
/// `run status` says a built image came from; for a project without built services nothing is read
/// (the history stays closed, as a plan's does).
Result<std::map<std::string, std::string>> deployment_sources(const Workspace& workspace,
                                                              const std::string& project_directory,
                                                              const model::DesiredState& desired);

}  // namespace run::app
