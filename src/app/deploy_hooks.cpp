#include "app/deploy_hooks.h"

#include <algorithm>

namespace run::app {

std::vector<history::TaskOutcome> run_hooks(Engine& engine, const model::DesiredState& desired,
                                            const plan::Plan& plan, model::TaskWhen when,
                                            const std::string& project_directory, TaskView& view,
                                            const std::atomic<bool>& stop) {
  std::vector<history::TaskOutcome> ran;
  for (const plan::PlannedHook& hook : plan.hooks) {
    if (hook.when != when || !hook.runs()) continue;
    const model::TaskSpec* task = desired.find_task(hook.task);
    if (task == nullptr) continue;  // planned from this desired state: cannot happen
    if (stop.load()) break;
    ran.push_back(
        run_task_once(engine, desired, *task, hook.when, {}, project_directory, view, stop));
    if (!ran.back().succeeded()) break;
  }
  return ran;
}

bool hooks_succeeded(const std::vector<history::TaskOutcome>& hooks) {
  return std::all_of(hooks.begin(), hooks.end(),
                     [](const history::TaskOutcome& hook) { return hook.succeeded(); });
}

apply::ExecutionReport stopped_by_hook(const plan::Plan& plan, const history::TaskOutcome& hook) {
  apply::ExecutionReport report;
  report.interrupted = hook.end == history::TaskEnd::kInterrupted;
  apply::ActionResult skipped{apply::ActionState::kSkipped,
                              "pre-deploy task " + hook.task + " failed: nothing was changed",
                              0,
                              {}};
  report.results.assign(plan.actions.size(), skipped);
  return report;
}

}  // namespace run::app
