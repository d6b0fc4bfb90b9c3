#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/converge_view.h"
#include "app/progress_task_view.h"
#include "cli/interrupts.h"
#include "cli/options.h"
#include "cli/progress_view.h"

namespace run::cli {

/// A converge on a terminal (or a pipe): the plan on stdout, the question on the terminal,
/// progress on stderr in the style asked for, and a second Ctrl-C that releases the lock
/// before it exits.
class TerminalView final : public app::ConvergeView {
 public:
  TerminalView(const GlobalOptions& global, std::string progress_flag, InterruptWatch& watch);

  void planned(const plan::Plan&) override {}
  void show_plan(const plan::Plan& plan) override;
  Result<bool> confirm(const std::string& verb, const std::string& environment,
                       bool protected_environment) override;
  void executing(const plan::Plan&) override {}
  apply::ProgressSink& progress() override;
  app::TaskView& tasks() override { return tasks_; }
  void lock_taken(std::function<void()> releaser) override;
  void lock_released() override { release_on_abort_.reset(); }

  /// Ends the progress display (a live view draws its last state), before the report.
  void end_progress() { progress_.reset(); }

 private:
  const GlobalOptions& global_;
  std::string progress_flag_;
  InterruptWatch& watch_;
  std::unique_ptr<apply::ProgressSink> progress_;  ///< made when the execution starts
  std::optional<InterruptWatch::AbortCleanup> release_on_abort_;
  /// A hook's output as notes of the progress display, which scroll above a live one.
  app::ProgressTaskView tasks_{[this]() -> apply::ProgressSink& { return progress(); }};
};

}  // namespace run::cli
