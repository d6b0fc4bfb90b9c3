#pragma once

#include <memory>
#include <string>

#include "app/config_target.h"
#include "app/workspace.h"
#include "core/result.h"
#include "history/record_store.h"

namespace run::app {

/// Where an environment's history is: the project's configuration, the environment's name
/// and the project's record store.
struct HistoryTarget {
  Target target;  ///< with the environment set
  ConfigTarget config;
  std::string environment;
  std::unique_ptr<history::RecordStore> store;
};

/// Locates the project and its history. The environment is the target's (--env or
/// $RUN_ENV); only when neither is given is the configuration read, for its
/// default_environment, so history commands work even when the working tree holds a broken
/// configuration. An environment the configuration does not declare and that has no records
/// is a typo, said with a did-you-mean; one that has records is listed even when it is no
/// longer declared.
Result<HistoryTarget> open_history(const Workspace& workspace);

}  // namespace run::app
