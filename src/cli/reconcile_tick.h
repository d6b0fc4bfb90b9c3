#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "apply/executor.h"
#include "cli/options.h"
#include "cli/plan_session.h"
#include "history/record.h"
#include "reconcile/rollback_hold.h"
#include "reconcile/tick_report.h"

namespace run::cli {

/// What one tick found before it acts: the commit, the records and a hold.
struct TickSource {
  std::string project_directory;
  std::string commit;  ///< the fetched commit, or the working tree's HEAD ("" outside git)
  std::vector<history::RecordSummary> records;  ///< newest first
  std::optional<reconcile::RollbackHold> hold;
};

/// How a tick ended: a result, and why when it did not succeed.
struct TickEnd {
  reconcile::TickResult result = reconcile::TickResult::kSuccess;
  std::string error;
};

/// Where a reconcile loop reads its configuration and how it applies it.
struct ReconcileSettings {
  GlobalOptions global;  ///< environment: --env; empty: $RUN_ENV or default_environment, per tick
  std::optional<std::string>
      remote;  ///< with branch: fetch REMOTE BRANCH and read that commit's tree
  std::string branch;
  bool prune_volumes = false;
  apply::ExecutorOptions executor;
};

/// One tick of `run reconcile`: fetch (with a remote), load the configuration at that commit
/// (or the working tree), or keep a rollback hold's state; take the environment's lock
/// (skip the tick when another apply holds it); observe and plan; when anything differs,
/// execute and record it (kind reconcile, or rollback while a hold is kept). Every failure
/// becomes a report, never an exception or an exit: the loop goes on.
class ReconcileTick {
 public:
  ReconcileTick(ReconcileSettings settings, const std::atomic<bool>& stop);

  reconcile::TickReport run(const std::string& trigger);

  /// The environment's newest records as the last tick read them (at most 10).
  const std::vector<history::RecordSummary>& recent_history() const { return recent_history_; }
  /// The commit the environment last converged on ("" before any success).
  const std::string& applied_commit() const { return applied_commit_; }
  /// The environment: --env or $RUN_ENV, else learned by the first tick that could read the
  /// configuration's default_environment ("" before).
  const std::string& environment() const { return settings_.global.environment; }
  /// The project, once a tick has read the configuration ("" before).
  const std::string& project() const { return project_; }
  /// `notify.webhook` of the configuration the last tick read; none when it has none.
  const std::optional<std::string>& webhook_url() const { return webhook_url_; }

 private:
  TickEnd converge(const std::string& trigger, reconcile::TickReport& report);
  TickEnd apply_locked(PlanSession& session, const TickSource& source, const std::string& trigger,
                       reconcile::TickReport& report);
  void keep_history(const std::vector<history::RecordSummary>& records);
  void reread_history(const std::string& project_directory);

  ReconcileSettings settings_;
  const std::atomic<bool>& stop_;
  std::vector<history::RecordSummary> recent_history_;
  std::string applied_commit_;
  std::string project_;
  std::optional<std::string> webhook_url_;
};

}  // namespace run::cli
