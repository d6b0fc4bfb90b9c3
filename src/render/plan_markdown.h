#pragma once

#include <string>

#include "plan/plan.h"

namespace run::render {

/// GitHub's limit on a comment's body; the markdown stays below it.
inline constexpr std::size_t kMarkdownLimit = 65536;

/// The plan as a pull-request comment: the summary line first, the hidden marker
/// `<!-- run-plan:ENV -->` (so CI can find and update its own comment), a caution note when
/// anything is removed, a table of actions, and a `<details>` block per service with a
/// ```diff of its fields. Kept under `max_length` characters: what does not fit is
/// counted in an honest "N more actions not shown" line. A plan compared with a deployment
/// record (plan.drift_record) also says so before the table (drift_line and what the causes
/// mean), has a `Cause` column, and ends each diff heading with the drift label.
std::string plan_markdown(const plan::Plan& plan, std::size_t max_length = kMarkdownLimit - 1536);

}  // namespace run::render
