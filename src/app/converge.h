#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "app/change_options.h"
#include "app/converge_view.h"
#include "app/deployment_record.h"
#include "app/engine.h"
#include "app/saved_plan_file.h"
#include "app/workspace.h"
#include "core/result.h"
#include "model/desired_state.h"

namespace run::app {

/// Apply makes the environment match the desired state; destroy makes it match an empty
/// one. Same planner, same executor: only the desired state differs.
enum class ConvergeMode { kApply, kDestroy };

/// What a lock another run holds means: an error naming the holder (a command a user ran),
/// or an outcome of its own (the loop skips the tick and tries again later).
enum class LockContention { kError, kSkip };

/// One change to make: what to converge on, how, and what its record will say.
struct ConvergeRequest {
  ConvergeMode mode = ConvergeMode::kApply;
  std::string verb;  ///< apply, destroy, rollback, reconcile: the lock's command, the messages'
  model::DesiredState desired;
  std::string project_directory;  ///< absolute: where run-config.yaml is
  /// `run apply FILE`: checked under the lock against the states now; no confirmation.
  std::optional<SavedPlanFile> saved_plan;
  RecordIntent record;
  std::optional<history::SourceInfo> source;  ///< none: the project's working tree
  /// Where the plan's builds read their context: a commit (a rollback rebuilds a pruned
  /// image from the record's source; the loop builds what it fetched); none: the working tree.
  std::optional<std::string> build_revision;
  ChangeOptions options;
  LockContention contention = LockContention::kError;
};

/// How a change ended, short of an error.
enum class ConvergeEnd {
  kPlanned,      ///< nothing to change, or a dry run: the plan was shown, nothing else
  kCancelled,    ///< the user declined; nothing changed
  kInterrupted,  ///< a stop came before anything changed
  kLocked,       ///< another run holds the lock (LockContention::kSkip only)
  kExecuted,     ///< the plan was carried out (whatever each action's outcome) and recorded
};

/// How an execution went and whether its record was written.
struct RecordedExecution {
  apply::ExecutionReport report;
  /// The pre-deploy hooks, then (when every action succeeded) the post-deploy ones, as they
  /// ran; a failed pre-deploy hook left every action skipped.
  std::vector<history::TaskOutcome> hooks;
  double seconds = 0;
  std::optional<int> record_number;  ///< none when the record could not be written
  Diagnostics record_errors;         ///< why not

  /// Every action done and every hook succeeded.
  bool succeeded() const;
  /// An action or a hook was cut short by a stop.
  bool interrupted() const;
};

struct ConvergeOutcome {
  ConvergeEnd end = ConvergeEnd::kPlanned;
  plan::Plan plan;                             ///< the last plan made
  std::optional<docker::LockHolder> holder;    ///< kLocked: who holds the lock
  Diagnostics interruption;                    ///< kInterrupted while waiting for the lock: why
  std::optional<RecordedExecution> execution;  ///< kExecuted
  Diagnostics release_errors;                  ///< the lock could not be released
};

/// The one path of every command that changes an environment: plan without the lock and
/// stop there when nothing changes (no lock is taken: a no-op costs the engine nothing);
/// else take the lock, plan again under it (a saved plan is checked there, against what
/// moved), show, confirm, run the pre-deploy hooks (one that fails changes nothing), execute,
/// run the post-deploy hooks when every action succeeded, record, release. Every execution appends
/// a deployment record, whatever its outcome; the store is opened and the record number taken
/// before anything changes, so a history that cannot be written changes nothing. Errors: the
/// configuration's plan errors, the engine's, a stale saved plan, a held lock with
/// LockContention::kError. `stop` is the first Ctrl-C (or the loop's stop).
Result<ConvergeOutcome> converge(Engine& engine, const Workspace& workspace,
                                 const ConvergeRequest& request, ConvergeView& view,
                                 const std::atomic<bool>& stop);

}  // namespace run::app
