#include "cli/change_command.h"

#include <cctype>
#include <cstdio>

#include "app/deploy_hooks.h"
#include "app/environment_plan.h"
#include "app/progress_task_view.h"
#include "cli/output.h"
#include "cli/terminal_view.h"
#include "cli/workspace.h"
#include "core/seconds_text.h"
#include "history/history_store.h"

namespace run::cli {

namespace {

/// What was applied, what failed and what was skipped: the last thing a user reads.
std::string report_text(const plan::Plan& plan, const apply::ExecutionReport& report,
                        std::string verb, double seconds) {
  verb[0] = static_cast<char>(std::toupper(verb[0]));
  std::size_t done = report.count(apply::ActionState::kDone);
  std::size_t failed = report.count(apply::ActionState::kFailed);
  std::size_t skipped = report.count(apply::ActionState::kSkipped);
  if (report.succeeded())
    return verb + " complete: " + std::to_string(done) + (done == 1 ? " action" : " actions") +
           " in " + seconds_text(seconds) + ".\n";
  std::string text = "\n" + verb + (report.interrupted ? " interrupted" : " failed") + ": " +
                     std::to_string(done) + " done, " + std::to_string(failed) + " failed, " +
                     std::to_string(skipped) + " skipped (" + seconds_text(seconds) + ").\n";
  for (std::size_t i = 0; i < plan.actions.size(); ++i) {
    const apply::ActionResult& result = report.results[i];
    if (result.state == apply::ActionState::kDone) continue;
    text += "  " + std::string(apply::to_string(result.state)) + ": " +
            std::string(plan::to_string(plan.actions[i].kind)) + " " +
            std::string(plan::to_string(plan.actions[i].resource)) + " " + plan.actions[i].name +
            (result.message.empty() ? "" : " (" + result.message + ")") + "\n";
    for (const std::string& line : result.diagnostics) text += "      " + line + "\n";
  }
  return text + "Run 'run plan' to see what is left.\n";
}

/// The hooks that ran, when one failed: which, how, and its last lines.
std::string hooks_text(const app::RecordedExecution& execution) {
  if (app::hooks_succeeded(execution.hooks)) return {};
  const history::TaskOutcome& hook = execution.hooks.back();
  std::string text =
      "\n" + hook.when + " task " + hook.task + " failed: " + app::task_end_text(hook) + "\n";
  for (const std::string& line : hook.output) text += "      " + line + "\n";
  if (hook.when == "post-deploy")
    text += "The changes were made; the post-deploy task did not succeed.\n";
  return text;
}

/// Reports an execution and its record on stdout; the exit code it ends with.
ExitCode report_execution(const GlobalOptions& global, const app::ConvergeRequest& request,
                          const app::ConvergeOutcome& outcome) {
  const app::RecordedExecution& execution = *outcome.execution;
  std::string report =
      report_text(outcome.plan, execution.report, request.verb, execution.seconds) +
      hooks_text(execution);
  if (!execution.record_number) {
    print_result(report);
    Diagnostics errors = execution.record_errors;
    errors.front().message =
        "the changes were made, but their deployment record could not be finished: " +
        errors.front().message;
    return fail(errors, global);
  }
  // On stdout with the report: stderr may be JSON progress events only (--progress json).
  const std::string& environment = request.desired.environment;
  print_result(report + "Recorded as " + environment + " #" +
               std::to_string(*execution.record_number) + " (" +
               history::HistoryStore::ref_name(environment) + ").\n");
  if (execution.interrupted()) return ExitCode::kInterrupted;
  return execution.succeeded() ? ExitCode::kSuccess : ExitCode::kError;
}

ExitCode exit_of(const GlobalOptions& global, const app::ConvergeRequest& request,
                 const app::ConvergeOutcome& outcome, const InterruptWatch& watch) {
  switch (outcome.end) {
    case app::ConvergeEnd::kPlanned:
      return ExitCode::kSuccess;
    case app::ConvergeEnd::kCancelled:
      std::fprintf(stderr, "%s cancelled: nothing was changed.\n", request.verb.c_str());
      return watch.interrupted() ? ExitCode::kInterrupted : ExitCode::kError;
    case app::ConvergeEnd::kInterrupted:
      if (!outcome.interruption.empty()) print_diagnostics(outcome.interruption, global);
      return ExitCode::kInterrupted;
    case app::ConvergeEnd::kLocked:  // only the loop asks to skip a held lock
      return ExitCode::kError;
    case app::ConvergeEnd::kExecuted:
      break;
  }
  return report_execution(global, request, outcome);
}

}  // namespace

ExitCode run_change(const GlobalOptions& global, const app::Workspace& workspace,
                    app::Engine& engine, const app::ConvergeRequest& request,
                    const ChangeFlags& flags, InterruptWatch& watch) {
  TerminalView view(global, flags.progress, watch);
  Result<app::ConvergeOutcome> outcome =
      app::converge(engine, workspace, request, view, watch.stop_requested());
  view.end_progress();
  if (!outcome) return fail(outcome.errors(), global);
  ExitCode code = exit_of(global, request, *outcome, watch);
  if (!outcome->release_errors.empty()) print_diagnostics(outcome->release_errors, global);
  return code;
}

ExitCode run_configured_change(const GlobalOptions& global, app::ConvergeMode mode,
                               const std::string& verb, const ChangeFlags& flags,
                               const std::optional<app::SavedPlanFile>& saved_plan) {
  Result<std::string> format = output_format(global, verb, {"text"});
  if (!format) return fail(format.errors(), global);
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  app::ConvergeRequest request;
  request.mode = mode;
  request.verb = verb;
  request.desired = std::move(open->loaded.desired);
  request.project_directory = open->loaded.project_directory;
  request.saved_plan = saved_plan;
  request.record.kind = mode == app::ConvergeMode::kDestroy ? history::RecordKind::kDestroy
                                                            : history::RecordKind::kApply;
  request.options = flags.options;
  return run_change(global, *open->workspace, *open->engine, request, flags, watch);
}

}  // namespace run::cli
