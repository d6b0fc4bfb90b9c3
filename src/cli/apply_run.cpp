#include "cli/apply_run.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "apply/executor.h"
#include "cli/confirm.h"
#include "cli/duration_flag.h"
#include "cli/interrupts.h"
#include "cli/output.h"
#include "cli/plan_session.h"
#include "cli/progress_view.h"
#include "cli/recorded_execution.h"
#include "core/seconds_text.h"
#include "docker/environment_lock.h"
#include "history/history_store.h"
#include "render/plan_text.h"

namespace run::cli {

namespace {

std::string_view verb_of(ChangeMode mode) {
  return mode == ChangeMode::kApply ? "apply" : "destroy";
}

/// The word messages use: apply, destroy or rollback.
std::string verb_of(const ChangeRequest& request) {
  return request.record.kind == history::RecordKind::kRollback ? "rollback"
                                                               : std::string(verb_of(request.mode));
}

/// Destroy plans against the same project and environment with nothing desired.
model::DesiredState nothing_desired(const model::DesiredState& desired) {
  model::DesiredState empty;
  empty.project = desired.project;
  empty.environment = desired.environment;
  empty.protected_environment = desired.protected_environment;
  return empty;
}

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
  }
  return text + "Run 'run plan' to see what is left.\n";
}

struct Settings {
  std::chrono::milliseconds lock_wait;
  std::chrono::milliseconds wait_timeout;
};

Result<Settings> settings_of(const ApplyFlags& flags) {
  Result<std::chrono::milliseconds> lock_wait =
      duration_flag("--lock-timeout", flags.lock_timeout, ZeroDuration::kAllowed);
  if (!lock_wait) return lock_wait.errors();
  Result<std::chrono::milliseconds> wait =
      duration_flag("--wait-timeout", flags.wait_timeout, ZeroDuration::kAllowed);
  if (!wait) return wait.errors();
  if (flags.parallelism == 0)
    return make_error(SourceLocation{}, "", "--parallelism must be at least 1");
  return Settings{*lock_wait, *wait};
}

/// Executes the plan, records it, and reports both on stdout.
ExitCode execute_plan(const GlobalOptions& global, const ApplyFlags& flags,
                      const ChangeRequest& request, PlanSession& session, const Settings& settings,
                      const InterruptWatch& watch) {
  bool color = color_enabled(global, STDERR_FILENO);
  Result<RecordedExecution> execution = [&] {
    std::unique_ptr<apply::ProgressSink> progress =
        make_progress_view(progress_style(flags.progress, color), color);
    apply::ExecutorOptions options{
        flags.parallelism, std::chrono::duration_cast<std::chrono::seconds>(settings.wait_timeout)};
    return execute_recorded(session, request.record, std::nullopt, *progress,
                            watch.stop_requested(), options);
  }();
  if (!execution) return fail(execution.errors(), global);
  std::string report =
      report_text(session.plan, execution->report, verb_of(request), execution->seconds);
  if (!execution->record_number) {
    print_result(report);
    Diagnostics errors = execution->record_errors;
    errors.front().message =
        "the changes were made, but their deployment record was not written: " +
        errors.front().message;
    return fail(errors, global);
  }
  // On stdout with the report: stderr may be JSON progress events only (--progress json).
  print_result(report + "Recorded as " + session.desired.environment + " #" +
               std::to_string(*execution->record_number) + " (" +
               history::HistoryStore::ref_name(session.desired.environment) + ").\n");
  if (execution->report.interrupted) return ExitCode::kInterrupted;
  return execution->report.succeeded() ? ExitCode::kSuccess : ExitCode::kError;
}

}  // namespace

void add_change_flags(CLI::App& command, ApplyFlags& flags) {
  command.add_flag("--auto-approve", flags.auto_approve, "Do not ask for confirmation");
  command.add_flag("--prune-volumes", flags.prune_volumes,
                   "Also remove volumes no longer in the config (they hold data)");
  command.add_option("--parallelism", flags.parallelism, "Actions in flight at once (default 4)")
      ->type_name("N");
  command
      .add_option("--lock-timeout", flags.lock_timeout,
                  "Wait this long for another apply's lock (default 0s: fail at once)")
      ->type_name("DURATION");
  command
      .add_option("--wait-timeout", flags.wait_timeout,
                  "How long a dependency may take to be started/healthy/completed (default 120s)")
      ->type_name("DURATION");
  command
      .add_option("--progress", flags.progress,
                  "live (a terminal), plain, or json: one event per line on stderr")
      ->type_name("STYLE")
      ->check(CLI::IsMember({"live", "plain", "json"}));
}

ExitCode run_changes(const GlobalOptions& global, const ApplyFlags& flags, ChangeMode mode,
                     const std::optional<std::string>& saved_plan) {
  ChangeRequest request;
  request.mode = mode;
  request.saved_plan = saved_plan;
  request.record.kind =
      mode == ChangeMode::kDestroy ? history::RecordKind::kDestroy : history::RecordKind::kApply;
  return run_changes(global, flags, request);
}

ExitCode run_changes(const GlobalOptions& global, const ApplyFlags& flags,
                     const ChangeRequest& request) {
  ChangeMode mode = request.mode;
  const std::optional<std::string>& saved_plan = request.saved_plan;
  std::string verb = verb_of(request);
  Result<std::string> format = output_format(global, verb, {"text"});
  if (!format) return fail(format.errors(), global);
  Result<Settings> settings = settings_of(flags);
  if (!settings) return fail(settings.errors(), global);
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  Result<PlanSession> session =
      request.restore ? open_session_for_state(global, *request.restore) : open_session(global);
  if (!session) return fail(session.errors(), global);
  if (mode == ChangeMode::kDestroy) session->desired = nothing_desired(session->desired);
  plan::PlanOptions options{flags.prune_volumes, mode == ChangeMode::kDestroy
                                                     ? plan::PlanPurpose::kDestroy
                                                     : plan::PlanPurpose::kConverge};
  bool color = color_enabled(global, STDOUT_FILENO);
  // Plan before taking the lock, as reconcile does: with nothing to change (or --dry-run)
  // that plan is the answer, and the lock, a container made and removed on the daemon, was
  // a third of a no-op apply's time. With changes the lock is taken and the plan made again
  // under it. A saved plan is checked under the lock only.
  if (flags.dry_run || !saved_plan) {
    if (Status planned = observe_and_plan(*session, options); !planned)
      return fail(planned.errors(), global);
    if (!session->plan.errors.empty()) return fail(session->plan.errors, global);
    if (flags.dry_run || !session->plan.has_changes()) {
      print_result(
          render::plan_text(session->plan, color ? render::Color::kYes : render::Color::kNo));
      return ExitCode::kSuccess;
    }
  }
  Result<docker::EnvironmentLock> lock = docker::EnvironmentLock::acquire(
      *session->docker, session->desired.project, session->desired.environment, verb,
      settings->lock_wait, &watch.stop_requested());
  if (!lock && watch.interrupted()) {
    print_diagnostics(lock.errors(), global);
    return ExitCode::kInterrupted;
  }
  if (!lock) return fail(lock.errors(), global);
  // A second Ctrl-C exits without unwinding; the lock must not outlive the process even then.
  InterruptWatch::AbortCleanup release_on_abort = watch.on_abort(lock->releaser());
  if (Status planned = observe_and_plan(*session, options); !planned)
    return fail(planned.errors(), global);
  if (!session->plan.errors.empty()) return fail(session->plan.errors, global);
  if (saved_plan) {
    if (Status current = check_saved_plan(*saved_plan, flags.plan_file, *session); !current)
      return fail(current.errors(), global);
  }
  print_result(render::plan_text(session->plan, color ? render::Color::kYes : render::Color::kNo));
  if (!session->plan.has_changes()) return ExitCode::kSuccess;
  if (!saved_plan && !flags.auto_approve) {
    Result<bool> agreed =
        confirm_changes(verb, session->desired.environment, session->desired.protected_environment,
                        watch.stop_requested());
    if (!agreed) return fail(agreed.errors(), global);
    if (!*agreed) {
      std::fprintf(stderr, "%s cancelled: nothing was changed.\n", verb.c_str());
      return watch.interrupted() ? ExitCode::kInterrupted : ExitCode::kError;
    }
  }
  if (watch.interrupted()) return ExitCode::kInterrupted;
  ExitCode code = execute_plan(global, flags, request, *session, *settings, watch);
  if (Status released = lock->release(); !released) print_diagnostics(released.errors(), global);
  return code;
}

}  // namespace run::cli
