#pragma once

#include <chrono>
#include <cstddef>

#include "apply/executor.h"

namespace run::app {

/// Whether a change is asked about before it is made.
enum class Approval { kAsk, kAutoApprove };

/// How a command that changes an environment goes about it: apply, destroy, rollback,
/// promote --apply and the reconcile loop share these, parsed once by the CLI with one set
/// of rules (cli/change_flags).
struct ChangeOptions {
  Approval approval = Approval::kAsk;
  bool dry_run = false;        ///< plan and stop
  bool prune_volumes = false;  ///< also remove volumes no longer in the config
  std::size_t parallelism = 4;
  std::chrono::milliseconds lock_wait{0};  ///< how long to wait for another run's lock
  std::chrono::milliseconds wait_timeout{std::chrono::seconds(120)};

  apply::ExecutorOptions executor() const {
    return {parallelism, std::chrono::duration_cast<std::chrono::seconds>(wait_timeout)};
  }
};

}  // namespace run::app
