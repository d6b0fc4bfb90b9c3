#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "cli/config_target.h"
#include "cli/options.h"
#include "core/result.h"
#include "history/history_store.h"

namespace run::cli {

/// Where an environment's history is: the project's store and the environment's name.
struct HistoryTarget {
  ConfigTarget config;
  std::string environment;
  history::HistoryStore store;
};

/// Locates the project and its history. The environment is --env or $RUN_ENV; only when
/// neither is given is the configuration read, for its default_environment, so history
/// commands work even when the working tree holds a broken configuration.
Result<HistoryTarget> open_history(const GlobalOptions& global);

/// Who ran it, shortened for a table: the name without the e-mail.
std::string actor_name(const std::string& author);

/// Checks a record number on the command line (`show N`, `rollback --to N`): 1 or more.
CLI::Validator record_number_check();

}  // namespace run::cli
