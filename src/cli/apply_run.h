#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "cli/deployment_record.h"
#include "cli/options.h"
#include "model/desired_state.h"

namespace run::cli {

/// The flags apply and destroy share.
struct ApplyFlags {
  bool auto_approve = false;
  bool dry_run = false;
  bool prune_volumes = false;
  std::size_t parallelism = 4;
  std::string lock_timeout = "0s";
  std::string wait_timeout = "120s";
  std::string progress;  ///< live | plain | json; empty: live on a terminal
  std::string plan_file;
};

void add_change_flags(CLI::App& command, ApplyFlags& flags);

/// Apply makes the environment match its configuration; destroy makes it match an empty
/// one. Same planner, same executor: only the desired state differs.
enum class ChangeMode { kApply, kDestroy };

/// One change to make: what to converge on and what its record will say.
struct ChangeRequest {
  ChangeMode mode = ChangeMode::kApply;
  std::optional<std::string> saved_plan;  ///< apply FILE: the plan JSON saved by `plan --out`
  /// A rollback deploys a recorded state instead of the configuration (which is not read).
  std::optional<model::DesiredState> restore;
  RecordIntent record;
};

/// Lock, plan, show, confirm, execute, record, report, unlock: the body of apply, destroy
/// and rollback. Every execution appends a deployment record, whatever its outcome.
ExitCode run_changes(const GlobalOptions& global, const ApplyFlags& flags,
                     const ChangeRequest& request);

/// The same for a plain apply or destroy of the configuration.
ExitCode run_changes(const GlobalOptions& global, const ApplyFlags& flags, ChangeMode mode,
                     const std::optional<std::string>& saved_plan);

}  // namespace run::cli
