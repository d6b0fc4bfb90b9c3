#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "cli/options.h"

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

/// Lock, plan, show, confirm, execute, report, unlock: the body of apply and destroy.
ExitCode run_changes(const GlobalOptions& global, const ApplyFlags& flags, ChangeMode mode,
                     const std::optional<std::string>& saved_plan);

}  // namespace run::cli
