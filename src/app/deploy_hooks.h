#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "app/engine.h"
#include "app/task_run.h"
#include "history/record.h"
#include "model/desired_state.h"
#include "plan/plan.h"

namespace run::app {

/// Runs the hooks of `when` that `plan` says run, in its order, and stops at the first that
/// fails (or when `stop` is set): what ran, in order.
std::vector<history::TaskOutcome> run_hooks(Engine& engine, const model::DesiredState& desired,
                                            const plan::Plan& plan, model::TaskWhen when,
                                            const std::string& project_directory, TaskView& view,
                                            const std::atomic<bool>& stop);

/// Whether every hook that ran succeeded (true when none ran).
bool hooks_succeeded(const std::vector<history::TaskOutcome>& hooks);

/// The report of a plan that a failed pre-deploy hook kept from running: every action
/// skipped, saying which hook, nothing changed; interrupted when the hook was.
apply::ExecutionReport stopped_by_hook(const plan::Plan& plan, const history::TaskOutcome& hook);

}  // namespace run::app
