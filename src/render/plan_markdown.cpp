#include "render/plan_markdown.h"

#include <map>
#include <set>

#include "render/markdown_cell.h"
#include "render/plan_text.h"

namespace run::render {

namespace {

using plan::Action;
using plan::ActionKind;

std::string emoji(ActionKind kind) {
  switch (kind) {
    case ActionKind::kCreate:
      return "🟢";
    case ActionKind::kUpdate:
      return "🟡";
    case ActionKind::kReplace:
      return "🟣";
    case ActionKind::kStart:
      return "🔵";
    case ActionKind::kRemove:
      return "🔴";
    case ActionKind::kBuild:
      return "🔨";
  }
  return "";
}

/// Drift in bold, so that a reviewer sees what did not come from the pull request.
std::string drift_cell(plan::DriftCause cause) {
  switch (cause) {
    case plan::DriftCause::kDesiredChange:
      return "desired change";
    case plan::DriftCause::kLiveDrift:
      return "**live drift**";
    case plan::DriftCause::kBoth:
      return "desired change + **live drift**";
  }
  return "";
}

std::string table_row(const Action& action) {
  std::string row = "| " + emoji(action.kind) + " `" + std::string(action_symbol(action.kind)) +
                    "` " + std::string(plan::to_string(action.kind)) + " | " +
                    std::string(plan::to_string(action.resource)) + " | `" +
                    escape_cell(action.name) + "` | " + escape_cell(action.reason) + " |";
  if (action.drift) row += " " + drift_cell(*action.drift) + " |";
  return row + "\n";
}

std::string table_head(const plan::Plan& plan) {
  if (!plan.drift_record) return "| Action | Kind | Name | Why |\n|---|---|---|---|\n";
  return "| Action | Kind | Name | Why | Cause |\n|---|---|---|---|---|\n";
}

/// What the plan was compared with, and what the causes mean.
std::string drift_note(const plan::Plan& plan) {
  std::string line = drift_line(plan);
  if (line.empty()) return {};
  return line +
         " _Desired change: the configuration moved since that deployment. Live drift: the "
         "containers moved "
         "since it (removed, stopped or changed outside `run`)._\n\n";
}

std::string diff_heading(const Action& action) {
  std::string heading = "# " + std::string(plan::to_string(action.kind)) + " " + action.name +
                        " (" + action.reason + ")";
  if (action.drift) heading += " [" + std::string(drift_label(*action.drift)) + "]";
  return heading + "\n";
}

std::string diff_lines(const Action& action) {
  std::string out;
  for (const auto& change : action.changes) {
    if (change.before) out += "- " + change.path + ": " + field_value(change.before) + "\n";
    if (change.after) out += "+ " + change.path + ": " + field_value(change.after) + "\n";
  }
  return out;
}

/// A fence that the content cannot close.
std::string fence_for(const std::string& content) {
  std::string fence = "```";
  while (content.find(fence) != std::string::npos) fence += "`";
  return fence;
}

std::string details_block(const std::string& group, const std::vector<const Action*>& actions) {
  std::string diff;
  for (const Action* action : actions) {
    std::string lines = diff_lines(*action);
    if (lines.empty()) continue;
    diff += diff_heading(*action) + lines;
  }
  if (diff.empty()) return {};
  std::string fence = fence_for(diff);
  return "<details><summary><code>" + escape_cell(group) +
         "</code>: " + std::to_string(actions.size()) + " action" +
         (actions.size() == 1 ? "" : "s") + "</summary>\n\n" + fence + "diff\n" + diff + fence +
         "\n</details>\n\n";
}

/// The hooks before the table: a reviewer sees at once that a migration runs.
std::string hooks_note(const plan::Plan& plan) {
  if (plan.hooks.empty()) return {};
  std::string note = "> [!NOTE]\n> Hooks:\n";
  for (const plan::PlannedHook& hook : plan.hooks)
    note += "> - " + escape_cell(hook_sentence(hook)) + "\n";
  return note + "\n";
}

std::string caution(const plan::Plan& plan) {
  std::vector<std::string> removed;
  for (const Action& action : plan.actions)
    if (action.kind == ActionKind::kRemove)
      removed.push_back(std::string(plan::to_string(action.resource)) + " `" + action.name + "`");
  if (removed.empty()) return {};
  std::string list;
  for (std::size_t i = 0; i < removed.size() && i < 20; ++i) list += (i ? ", " : "") + removed[i];
  if (removed.size() > 20) list += " and " + std::to_string(removed.size() - 20) + " more";
  return "> [!CAUTION]\n> This plan removes " + std::to_string(removed.size()) + " object" +
         (removed.size() == 1 ? "" : "s") + ": " + list + ".\n\n";
}

std::string omitted_line(std::size_t count) {
  return "\n_" + std::to_string(count) + " more action" + (count == 1 ? "" : "s") +
         " not shown: the comment would pass GitHub's size limit. Run `run plan` for the whole "
         "plan._\n";
}

}  // namespace

std::string plan_markdown(const plan::Plan& plan, std::size_t max_length) {
  std::string head =
      "**" + summary_line(plan) + "**\n<!-- run-plan:" + plan.environment + " -->\n\n";
  head += "#### `run plan` for " + plan.project + " / " + plan.environment + "\n\n";
  for (const Diagnostic& error : plan.errors)
    head += "> [!WARNING]\n> " + escape_cell(error.message) + "\n\n";
  for (const std::string& volume : plan.kept_volumes)
    head += "> [!NOTE]\n> Volume `" + volume +
            "` is no longer in the config and is kept (it holds data); `--prune-volumes` removes "
            "it.\n\n";
  if (!plan.has_changes()) return head + "The live containers match the configuration.\n";
  head += drift_note(plan) + hooks_note(plan) + caution(plan);
  std::string table = table_head(plan);
  std::size_t shown = 0;
  for (const Action& action : plan.actions) {
    std::string row = table_row(action);
    if (head.size() + table.size() + row.size() + 200 > max_length) break;
    table += row;
    ++shown;
  }
  std::string out = head + table;
  if (shown < plan.actions.size()) return out + omitted_line(plan.actions.size() - shown);
  std::map<std::string, std::vector<const Action*>> groups;
  for (const Action& action : plan.actions)
    groups[action.service.empty() ? "networks and volumes" : action.service].push_back(&action);
  out += "\n";
  std::size_t groups_left = groups.size();
  for (const auto& [group, actions] : groups) {
    std::string block = details_block(group, actions);
    if (out.size() + block.size() + 200 > max_length) {
      out += "\n_The field changes of " + std::to_string(groups_left) + " more group" +
             (groups_left == 1 ? "" : "s") +
             " are not shown: the comment would pass GitHub's size limit. Run `run plan` for the "
             "whole plan._\n";
      break;
    }
    out += block;
    --groups_left;
  }
  return out;
}

}  // namespace run::render
