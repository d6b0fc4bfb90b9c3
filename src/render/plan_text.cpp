#include "render/plan_text.h"

#include <algorithm>

namespace run::render {

namespace {

using plan::Action;
using plan::ActionKind;
using plan::FieldChange;

Hue hue_of(ActionKind kind) {
  switch (kind) {
    case ActionKind::kCreate:
      return Hue::kGreen;
    case ActionKind::kUpdate:
      return Hue::kYellow;
    case ActionKind::kReplace:
      return Hue::kMagenta;
    case ActionKind::kStart:
      return Hue::kCyan;
    case ActionKind::kRemove:
      return Hue::kRed;
    case ActionKind::kBuild:
      return Hue::kBold;
  }
  return Hue::kBold;
}

bool forces_replace(const Action& action, const FieldChange& change) {
  return std::find(action.replace_fields.begin(), action.replace_fields.end(), change.path) !=
         action.replace_fields.end();
}

std::string change_line(const Action& action, const FieldChange& change, Color color) {
  std::string line;
  if (!change.before) {
    line = paint("+", Hue::kGreen, color) + " " + change.path + " = " + field_value(change.after);
  } else if (!change.after) {
    line = paint("-", Hue::kRed, color) + " " + change.path + " = " + field_value(change.before);
  } else {
    line = paint("~", Hue::kYellow, color) + " " + change.path + ": " + field_value(change.before) +
           " -> " + field_value(change.after);
  }
  if (forces_replace(action, change) && action.replace_fields.size() > 0)
    line += paint("   # forces replacement", Hue::kDim, color);
  return "      " + line + "\n";
}

/// Drift (live or both) stands out in yellow; a desired change is cyan.
std::string drift_tag(const Action& action, Color color) {
  if (!action.drift) return {};
  Hue hue = *action.drift == plan::DriftCause::kDesiredChange ? Hue::kCyan : Hue::kYellow;
  return "  " + paint("[" + std::string(drift_label(*action.drift)) + "]", hue, color);
}

std::string counted(int count, const std::string& singular, const std::string& plural) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

std::string action_line(const Action& action, Color color) {
  std::string symbol(action_symbol(action.kind));
  std::string padded = symbol + std::string(4 - std::min<std::size_t>(4, symbol.size()), ' ');
  std::string what = std::string(plan::to_string(action.kind)) + " " +
                     std::string(plan::to_string(action.resource)) + " " +
                     paint(action.name, Hue::kBold, color);
  return "  " + paint(padded, hue_of(action.kind), color) + what +
         paint("  (" + action.reason + ")", Hue::kDim, color) + drift_tag(action, color) + "\n";
}

}  // namespace

std::string field_value(const std::optional<std::string>& value) {
  if (!value) return "(none)";
  return value->empty() ? "\"\"" : *value;
}

std::string_view action_symbol(ActionKind kind) {
  switch (kind) {
    case ActionKind::kCreate:
      return "+";
    case ActionKind::kUpdate:
      return "~";
    case ActionKind::kReplace:
      return "-/+";
    case ActionKind::kStart:
      return ">";
    case ActionKind::kRemove:
      return "-";
    case ActionKind::kBuild:
      return "*";
  }
  return "?";
}

std::string summary_line(const plan::Plan& plan) {
  if (!plan.has_changes()) return "No changes.";
  plan::Summary s = plan.summary();
  std::string builds = s.build ? counted(s.build, "image", "images") + " to build, " : "";
  return "Plan: " + builds + std::to_string(s.create) + " to add, " + std::to_string(s.update) +
         " to change, " + std::to_string(s.replace) + " to replace, " + std::to_string(s.start) +
         " to start, " + std::to_string(s.remove) + " to remove.";
}

std::string_view drift_label(plan::DriftCause cause) {
  switch (cause) {
    case plan::DriftCause::kDesiredChange:
      return "desired change";
    case plan::DriftCause::kLiveDrift:
      return "live drift";
    case plan::DriftCause::kBoth:
      return "desired change + live drift";
  }
  return "desired change + live drift";
}

std::string hook_sentence(const plan::PlannedHook& hook) {
  bool before = hook.when == model::TaskWhen::kPreDeploy;
  std::string when = std::string(model::to_string(hook.when)) + " task " + hook.task;
  if (!hook.runs()) return when + " does not run (" + hook.reason + ").";
  return when + (before ? " runs before any change" : " runs after the changes succeed") + " (" +
         hook.reason + ").";
}

std::string drift_line(const plan::Plan& plan) {
  if (!plan.drift_record || !plan.has_changes()) return {};
  plan::DriftSummary drift = plan::drift_summary(plan);
  std::string line = "Since deployment #" + std::to_string(*plan.drift_record) + ": " +
                     counted(drift.desired, "desired change", "desired changes") + ", " +
                     std::to_string(drift.live) + " live drift";
  if (drift.both > 0) line += ", " + std::to_string(drift.both) + " both";
  return line + ".";
}

std::string unfinished_sentence(const plan::UnfinishedDeployment& last, std::string_view remedy) {
  std::string which = "The last " + last.kind + ", #" + std::to_string(last.record) + ", ";
  std::string progress = std::to_string(last.completed) + " of " + std::to_string(last.total) +
                         (last.total == 1 ? " action" : " actions");
  if (last.running)
    return which + "is still in progress (" + progress +
           " so far) in a process of this host that holds no lock.";
  return which + "was interrupted after " + progress + "; " + std::string(remedy) + ".";
}

std::string plan_text(const plan::Plan& plan, Color color) {
  std::string out =
      "Plan for " + paint(plan.project + "/" + plan.environment, Hue::kBold, color) + "\n\n";
  if (plan.unfinished)
    out +=
        paint(unfinished_sentence(*plan.unfinished, "this plan completes it"), Hue::kBold, color) +
        "\n\n";
  for (const Action& action : plan.actions) {
    out += action_line(action, color);
    for (const FieldChange& change : action.changes) out += change_line(action, change, color);
  }
  if (!plan.actions.empty()) out += "\n";
  out += paint(summary_line(plan), Hue::kBold, color) + "\n";
  if (std::string drift = drift_line(plan); !drift.empty()) out += drift + "\n";
  for (const plan::PlannedHook& hook : plan.hooks)
    out += paint(hook.runs() ? "Hook: " : "Hook skipped: ", hook.runs() ? Hue::kBold : Hue::kDim,
                 color) +
           hook_sentence(hook) + "\n";
  for (const std::string& volume : plan.kept_volumes)
    out += "Note: volume " + volume +
           (plan.destroy ? " is kept" : " is no longer in the config; it is kept") +
           " (it holds data). --prune-volumes removes it.\n";
  if (!plan.has_changes())
    out += plan.destroy
               ? "Nothing of " + plan.project + "/" + plan.environment + " is left to remove.\n"
               : std::string(plan.target == model::DeployTarget::kSwarm ? "The services of "
                                                                        : "The containers of ") +
                     plan.project + "/" + plan.environment + " match the configuration.\n";
  return out;
}

}  // namespace run::render
