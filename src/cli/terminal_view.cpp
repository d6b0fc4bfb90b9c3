#include "cli/terminal_view.h"

#include <unistd.h>

#include "cli/confirm.h"
#include "cli/output.h"
#include "render/plan_text.h"

namespace run::cli {

TerminalView::TerminalView(const GlobalOptions& global, std::string progress_flag,
                           InterruptWatch& watch)
    : global_(global), progress_flag_(std::move(progress_flag)), watch_(watch) {}

void TerminalView::show_plan(const plan::Plan& plan) {
  bool color = color_enabled(global_, STDOUT_FILENO);
  print_result(render::plan_text(plan, color ? render::Color::kYes : render::Color::kNo));
}

Result<bool> TerminalView::confirm(const std::string& verb, const std::string& environment,
                                   bool protected_environment) {
  return confirm_changes(verb, environment, protected_environment, watch_.stop_requested());
}

apply::ProgressSink& TerminalView::progress() {
  if (!progress_) {
    bool color = color_enabled(global_, STDERR_FILENO);
    progress_ = make_progress_view(progress_style(progress_flag_, color), color);
  }
  return *progress_;
}

void TerminalView::lock_taken(std::function<void()> releaser) {
  release_on_abort_.emplace(watch_.on_abort(std::move(releaser)));
}

}  // namespace run::cli
