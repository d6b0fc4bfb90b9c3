#include "plan/hooks.h"

#include <algorithm>

#include "plan/plan.h"

namespace run::plan {

namespace {

constexpr std::string_view kServicesPrefix = "services.";

/// Whether `change_path` ("env.LOG_LEVEL", "ports[0]") is `field` or lies under it.
bool under_field(const std::string& change_path, std::string_view field) {
  if (!change_path.starts_with(field)) return false;
  if (change_path.size() == field.size()) return true;
  char next = change_path[field.size()];
  return next == '.' || next == '[';
}

/// The reason a hook with run_if_changed runs: the first of its paths the plan changes.
std::string changed_path(const model::TaskSpec& task, const Plan& plan) {
  for (const std::string& path : task.run_if_changed)
    for (const Action& action : plan.actions)
      if (action_changes_path(action, path)) return path;
  return {};
}

std::string paths_text(const std::vector<std::string>& paths) {
  std::string text;
  for (const std::string& path : paths) text += (text.empty() ? "" : ", ") + path;
  return text;
}

PlannedHook decide(const model::TaskSpec& task, const Plan& plan) {
  PlannedHook hook{task.name, task.when, HookDecision::kRuns, "the plan changes something"};
  if (task.run_if_changed.empty()) return hook;
  std::string path = changed_path(task, plan);
  if (!path.empty()) {
    hook.reason = path + " changes";
    return hook;
  }
  hook.decision = HookDecision::kSkipped;
  hook.reason = (task.run_if_changed.size() == 1 ? "" : "none of ") +
                paths_text(task.run_if_changed) +
                (task.run_if_changed.size() == 1 ? " does not change" : " changes");
  return hook;
}

}  // namespace

std::string hook_line(const PlannedHook& hook) {
  return std::string(model::to_string(hook.when)) + " hook " + hook.task +
         (hook.runs() ? " runs: " : " skipped: ") + hook.reason;
}

bool action_changes_path(const Action& action, const std::string& path) {
  if (!path.starts_with(kServicesPrefix) || action.service.empty()) return false;
  std::string_view rest = std::string_view(path).substr(kServicesPrefix.size());
  std::string_view service = rest.substr(0, rest.find('.'));
  if (service != action.service) return false;
  if (service.size() == rest.size()) return true;  // services.S: any action of S
  std::string_view field = rest.substr(service.size() + 1);
  switch (action.kind) {
    case ActionKind::kCreate:
    case ActionKind::kRemove:
      return true;
    case ActionKind::kBuild:
      return field == "image" || under_field(std::string(field), "build");
    case ActionKind::kStart:
      return false;
    case ActionKind::kReplace:
    case ActionKind::kUpdate:
      return std::any_of(
          action.changes.begin(), action.changes.end(),
          [&](const FieldChange& change) { return under_field(change.path, field); });
  }
  return false;
}

std::vector<PlannedHook> plan_hooks(const std::vector<model::TaskSpec>& tasks, const Plan& plan,
                                    Deployed deployed) {
  std::vector<PlannedHook> hooks;
  if (!plan.has_changes()) return hooks;
  for (const model::TaskSpec& task : tasks)
    if (task.when == model::TaskWhen::kPreDeploy && deployed == Deployed::kYes)
      hooks.push_back(decide(task, plan));
  for (const model::TaskSpec& task : tasks) {
    if (task.when == model::TaskWhen::kPostDeploy) hooks.push_back(decide(task, plan));
    if (task.when != model::TaskWhen::kPreDeploy || deployed == Deployed::kYes) continue;
    PlannedHook hook = decide(task, plan);
    hook.when = model::TaskWhen::kPostDeploy;
    hook.reason = "a pre-deploy task, after the changes on a first deployment; " + hook.reason;
    hooks.push_back(hook);
  }
  return hooks;
}

}  // namespace run::plan
