#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "apply/executor.h"
#include "history/record.h"
#include "model/desired_state.h"
#include "plan/plan.h"

namespace run::app {

/// What kind of deployment an apply is, for its record.
struct RecordIntent {
  history::RecordKind kind = history::RecordKind::kApply;
  std::optional<int> rollback_of;
  std::string revision;  ///< --revision, when the config was read from one
};

/// The record of one execution: the desired state, the plan, how each action went and the
/// hooks that ran; failed when an action or a hook failed.
history::NewRecord deployment_record(const model::DesiredState& desired, const plan::Plan& plan,
                                     const apply::ExecutionReport& report,
                                     const std::vector<history::TaskOutcome>& hooks,
                                     const RecordIntent& intent, const history::SourceInfo& source,
                                     std::chrono::system_clock::time_point started,
                                     std::chrono::system_clock::time_point finished);

/// The record an execution writes before its first change: outcome in progress, every action
/// pending, and `writer` (this process) so that a reader can tell whether it is still going.
history::NewRecord in_progress_record(const model::DesiredState& desired, const plan::Plan& plan,
                                      const RecordIntent& intent, const history::SourceInfo& source,
                                      std::chrono::system_clock::time_point started,
                                      const history::RecordWriter& writer);

/// How one action of the plan went, as its record keeps it.
history::ActionOutcome action_outcome(const plan::Action& action,
                                      const apply::ActionResult& result);

/// "1 to add, 0 to change, ..." without the "Plan: " and the full stop: a record's subject,
/// a reconcile tick's log line and webhook.
std::string plan_summary(const plan::Plan& plan);

/// An instant as ISO 8601 in UTC ("2026-11-29T04:02:27Z").
std::string iso_utc(std::chrono::system_clock::time_point time);

}  // namespace run::app
