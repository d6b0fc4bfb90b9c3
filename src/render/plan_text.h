#pragma once

#include <string>

#include "plan/drift.h"
#include "plan/plan.h"
#include "render/color.h"

namespace run::render {

/// "Plan: 4 to add, 1 to change, 2 to replace, 0 to start, 1 to remove." or "No changes."
std::string summary_line(const plan::Plan& plan);

/// A field's value for display: as it is, `""` when empty, "(none)" when absent.
std::string field_value(const std::optional<std::string>& value);

/// The symbol of an action: `+` create, `~` update, `-/+` replace, `>` start, `-` remove.
std::string_view action_symbol(plan::ActionKind kind);

/// How a drift cause reads in text and markdown: "desired change", "live drift" or
/// "desired change + live drift".
std::string_view drift_label(plan::DriftCause cause);

/// "Since deployment #12: 1 desired change, 2 live drift, 1 both." ("N both" only when N > 0);
/// empty when the plan was not compared with a record or has no actions.
std::string drift_line(const plan::Plan& plan);

/// "The last apply, #12, was interrupted after 3 of 6 actions; " + `remedy` + ".", or, when
/// its process still runs, that it is in progress.
std::string unfinished_sentence(const plan::UnfinishedDeployment& last, std::string_view remedy);

/// "pre-deploy task db-migrate runs before any change (services.app.image changes)." or
/// "... does not run (services.app.image does not change).": text and markdown say it alike.
std::string hook_sentence(const plan::PlannedHook& hook);

/// The plan for a terminal, terraform-like: one line per action with its symbol, object and
/// cause, its field changes indented beneath (`+ path = new`, `- path = old`,
/// `~ path: old -> new`, "# forces replacement" where it does), then the summary line. When
/// the plan was compared with a deployment record, each action line ends with its drift
/// label in brackets (`[live drift]`) and drift_line follows the summary line; then one line
/// per hook ("Hook: ..." or "Hook skipped: ...").
std::string plan_text(const plan::Plan& plan, Color color = Color::kNo);

}  // namespace run::render
