#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/change_options.h"
#include "app/workspace.h"
#include "history/record.h"
#include "reconcile/rollback_hold.h"
#include "reconcile/tick_report.h"

namespace run::app {

/// Where a reconcile loop reads its configuration and how it applies it.
struct ReconcileSettings {
  /// --env; none: $RUN_ENV (in the workspace's target), else learned from default_environment.
  std::optional<std::string> environment;
  std::optional<std::string> remote;  ///< with branch: fetch REMOTE BRANCH, read that tree
  std::string branch;
  std::chrono::milliseconds fetch_timeout{60000};  ///< --fetch-timeout: a fetch gives up then
  ChangeOptions options;  ///< prune_volumes, parallelism and wait_timeout; never asks
};

/// One tick of `run reconcile`: fetch (with a remote), load the configuration at that commit
/// (or the working tree), or keep a rollback hold's state; then converge, as apply does
/// (plan; with changes, lock, plan again, execute, record), with these differences: a lock
/// another run holds skips the tick, and the record's kind is reconcile (rollback while a
/// hold is kept). Every failure becomes a report, never an exception or an exit: the loop
/// goes on.
class ReconcileTick {
 public:
  ReconcileTick(const Workspace& workspace, ReconcileSettings settings,
                const std::atomic<bool>& stop);

  reconcile::TickReport run(const std::string& trigger);

  /// The environment's newest records as the last tick read them (at most 10).
  const std::vector<history::RecordSummary>& recent_history() const { return recent_history_; }
  /// The commit the environment last converged on ("" before any success).
  const std::string& applied_commit() const { return applied_commit_; }
  /// The environment: --env or $RUN_ENV, else learned by the first tick that could read the
  /// configuration's default_environment ("" before).
  const std::string& environment() const { return environment_; }
  /// The project, once a tick has read the configuration ("" before).
  const std::string& project() const { return project_; }
  /// `notify.webhook` of the configuration the last tick read; none when it has none.
  const std::optional<std::string>& webhook_url() const { return webhook_url_; }

 private:
  struct Source;
  struct Deployment;
  struct End {
    reconcile::TickResult result = reconcile::TickResult::kSuccess;
    std::string error;
  };

  End converge_tick(const std::string& trigger, reconcile::TickReport& report);
  Result<Source> find_source();
  Result<Deployment> deployment_of(const Source& source);
  void keep_history(const std::vector<history::RecordSummary>& records);
  void reread_history(const std::string& project_directory);

  const Workspace& workspace_;
  ReconcileSettings settings_;
  const std::atomic<bool>& stop_;
  std::string environment_;
  std::vector<history::RecordSummary> recent_history_;
  std::string applied_commit_;
  std::string project_;
  std::optional<std::string> webhook_url_;
};

/// "1 of 3 actions failed (record #4): MESSAGE", "interrupted: 1 of 3 actions done (record
/// #4)": how a tick whose execution did not succeed ends.
std::string execution_failure(const plan::Plan& plan, const apply::ExecutionReport& report,
                              int record_number);

}  // namespace run::app
