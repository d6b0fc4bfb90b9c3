#pragma once

#include <functional>
#include <string>

#include "app/task_run.h"
#include "apply/progress.h"
#include "core/result.h"
#include "plan/plan.h"

namespace run::app {

/// What a converging use case asks of whoever watches it: a terminal (cli/terminal_view), the
/// reconcile loop's log (app/reconcile_tick), or a test's recorder. The use case decides;
/// the view shows and asks, and never changes the course except through confirm().
class ConvergeView {
 public:
  virtual ~ConvergeView() = default;

  /// After each planning pass: the one before the lock and the one under it.
  virtual void planned(const plan::Plan& plan) = 0;
  /// The plan the change goes by, once: the first when there is nothing to change (or for a
  /// dry run), else the one made under the lock, before it is confirmed.
  virtual void show_plan(const plan::Plan& plan) = 0;
  /// Whether to carry out the plan shown; asked only when the change is not approved
  /// already. False when the user declined, or when `stop` came first.
  virtual Result<bool> confirm(const std::string& verb, const std::string& environment,
                               bool protected_environment) = 0;
  /// Right before the plan is carried out.
  virtual void executing(const plan::Plan& plan) = 0;
  /// Where the executor reports each action.
  virtual apply::ProgressSink& progress() = 0;
  /// Where the pre- and post-deploy hooks show their output.
  virtual TaskView& tasks() = 0;
  /// The environment's lock is held from now until lock_released(); `releaser` frees it
  /// from any thread (a process aborted by a second Ctrl-C must not leave it behind).
  virtual void lock_taken(std::function<void()> releaser) = 0;
  virtual void lock_released() = 0;
};

}  // namespace run::app
