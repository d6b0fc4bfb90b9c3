#pragma once

#include <string>

#include "plan/plan.h"

namespace run::render {

/// The version of the JSON plan format (schemas/plan.schema.json, docs/output-contract.md).
inline constexpr const char* kPlanFormatVersion = "1";

/// The plan as JSON: format_version, project, environment, has_changes,
/// compared_with_record (only when classified against a deployment record), summary (create,
/// update, replace, start, remove), actions (action, kind, service, replica, name, reason,
/// drift ("desired", "live" or "both"; only with compared_with_record), config_hash (creates
/// and replaces), changes [{path, before, after, sensitive}], forces_replace), images_to_pull,
/// kept_volumes, hooks [{task, when, runs, reason}], errors [{message, hint}].
/// `before`/`after` are null where the field is absent. Keys in a fixed order.
std::string plan_json(const plan::Plan& plan);

/// {"record": 12, "kind": "apply", "completed": 3, "total": 6, "running": false}
std::string unfinished_json(const plan::UnfinishedDeployment& last);

}  // namespace run::render
