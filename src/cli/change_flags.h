#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "app/change_options.h"

namespace run::cli {

/// The flags of the commands that change an environment (apply, destroy, rollback, promote)
/// as typed options, and how progress is shown.
struct ChangeFlags {
  app::ChangeOptions options;
  std::string progress;  ///< live | plain | json; empty: live on a terminal
};

/// --auto-approve, --prune-volumes, --parallelism, --lock-timeout, --wait-timeout, --progress.
void add_change_flags(CLI::App& command, ChangeFlags& flags);

/// --parallelism N: at least 1, refused at parse time otherwise.
void add_parallelism_option(CLI::App& command, std::size_t& parallelism,
                            const std::string& description);

/// --parallelism N and --wait-timeout DURATION, with the rules every converging command
/// shares (reconcile too): at least one action at a time, a wait longer than zero.
void add_execution_flags(CLI::App& command, app::ChangeOptions& options);

/// --prune-volumes.
void add_prune_volumes_flag(CLI::App& command, app::ChangeOptions& options);

}  // namespace run::cli
