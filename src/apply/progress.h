#pragma once

#include <string>
#include <vector>

#include "plan/action.h"

namespace run::apply {

enum class ActionState { kPending, kRunning, kDone, kFailed, kSkipped };

std::string_view to_string(ActionState state);

/// How one action of a plan ended (or why it never ran).
struct ActionResult {
  ActionState state = ActionState::kPending;
  std::string message;  ///< why it failed or was skipped; empty when done
  double seconds = 0;
  /// What a container that would not start or get ready showed of itself: its state, its
  /// last health checks and log lines, secrets redacted ("state: exited (exit code 3)").
  std::vector<std::string> diagnostics;
};

/// Where the executor reports what it does; the CLI renders it for a terminal, as plain
/// lines, or as JSON events. Called from worker threads: implementations serialise.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void started(std::size_t index, const plan::Action& action) = 0;
  virtual void finished(std::size_t index, const plan::Action& action,
                        const ActionResult& result) = 0;
  /// A step that is not an action of the plan: "pulling image x", "waiting for db (healthy)".
  virtual void note(const std::string& text) = 0;
  /// Where a running action is: a build's "step 3/7 RUN make".
  virtual void step(std::size_t index, const plan::Action& action, const std::string& text) = 0;
};

}  // namespace run::apply
