#pragma once

#include <string>

#include "plan/plan.h"
#include "render/color.h"

namespace run::render {

/// "Plan: 4 to add, 1 to change, 2 to replace, 0 to start, 1 to remove." or "No changes."
std::string summary_line(const plan::Plan& plan);

/// A field's value for display: as it is, `""` when empty, "(none)" when absent.
std::string field_value(const std::optional<std::string>& value);

/// The symbol of an action: `+` create, `~` update, `-/+` replace, `>` start, `-` remove.
std::string_view action_symbol(plan::ActionKind kind);

/// The plan for a terminal, terraform-like: one line per action with its symbol, object and
/// cause, its field changes indented beneath (`+ path = new`, `- path = old`,
/// `~ path: old -> new`, "# forces replacement" where it does), then the summary line.
std::string plan_text(const plan::Plan& plan, Color color = Color::kNo);

}  // namespace run::render
