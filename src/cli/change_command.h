#pragma once

#include "app/converge.h"
#include "app/workspace.h"
#include "cli/change_flags.h"
#include "cli/interrupts.h"
#include "cli/options.h"
#include "core/exit_code.h"

namespace run::cli {

/// Runs a converge on the terminal and ends the command: the plan, the question, progress,
/// then what was done, failed and skipped, and the record it was written to. Exit 0 when
/// everything was applied (or nothing needed to be), 1 on an error, a failure or a
/// cancellation, 130 when interrupted. Errors are printed here, once.
ExitCode run_change(const GlobalOptions& global, const app::Workspace& workspace,
                    app::Engine& engine, const app::ConvergeRequest& request,
                    const ChangeFlags& flags, InterruptWatch& watch);

/// The configuration's environment, converged as the command's `verb` (apply or destroy):
/// loads it, connects and runs run_change.
ExitCode run_configured_change(const GlobalOptions& global, app::ConvergeMode mode,
                               const std::string& verb, const ChangeFlags& flags,
                               const std::optional<app::SavedPlanFile>& saved_plan = {});

}  // namespace run::cli
