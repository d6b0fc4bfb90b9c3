#include "plan/plan.h"

namespace run::plan {

std::string_view to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::kCreate:
      return "create";
    case ActionKind::kUpdate:
      return "update";
    case ActionKind::kReplace:
      return "replace";
    case ActionKind::kStart:
      return "start";
    case ActionKind::kRemove:
      return "remove";
    case ActionKind::kBuild:
      return "build";
  }
  return "create";
}

std::string_view to_string(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kContainer:
      return "container";
    case ResourceKind::kNetwork:
      return "network";
    case ResourceKind::kVolume:
      return "volume";
    case ResourceKind::kImage:
      return "image";
    case ResourceKind::kService:
      return "service";
  }
  return "container";
}

Summary Plan::summary() const {
  Summary summary;
  for (const Action& action : actions) {
    switch (action.kind) {
      case ActionKind::kCreate:
        ++summary.create;
        break;
      case ActionKind::kUpdate:
        ++summary.update;
        break;
      case ActionKind::kReplace:
        ++summary.replace;
        break;
      case ActionKind::kStart:
        ++summary.start;
        break;
      case ActionKind::kRemove:
        ++summary.remove;
        break;
      case ActionKind::kBuild:
        ++summary.build;
        break;
    }
  }
  return summary;
}

namespace {

std::string shown(const std::optional<std::string>& value) {
  if (!value) return "(none)";
  return value->empty() ? "\"\"" : *value;
}

std::string action_line(const Action& action) {
  std::string line = std::string(to_string(action.kind)) + " " +
                     std::string(to_string(action.resource)) + " " + action.name;
  if (action.kind == ActionKind::kBuild || action.resource == ResourceKind::kService)
    line += " (" + action.service + ")";
  else if (!action.service.empty())
    line += " (" + action.service + " #" + std::to_string(action.replica) + ")";
  line += ": " + action.reason;
  if (!action.replace_fields.empty()) {
    line += " [forces:";
    for (const std::string& field : action.replace_fields) line += " " + field;
    line += "]";
  }
  return line;
}

}  // namespace

std::string to_text(const Plan& plan) {
  std::string text;
  for (const Diagnostic& error : plan.errors) text += "error: " + error.message + "\n";
  for (const Action& action : plan.actions) {
    text += action_line(action) + "\n";
    for (const FieldChange& change : action.changes)
      text +=
          "  " + change.path + ": " + shown(change.before) + " -> " + shown(change.after) + "\n";
  }
  if (plan.actions.empty() && plan.errors.empty()) text += "no changes\n";
  for (const std::string& volume : plan.kept_volumes)
    text += "keep volume " + volume + ": not in config\n";
  for (const std::string& image : plan.images_to_pull) text += "pull image " + image + "\n";
  for (const PlannedHook& hook : plan.hooks) text += hook_line(hook) + "\n";
  return text;
}

}  // namespace run::plan
