#include "app/converge.h"

#include <chrono>

#include "app/apply_journal.h"
#include "app/deploy_hooks.h"
#include "app/environment_plan.h"
#include "app/unfinished_deployment.h"
#include "core/this_process.h"

namespace run::app {

namespace {

plan::PlanOptions plan_options(const ConvergeRequest& request) {
  return {request.options.prune_volumes, request.mode == ConvergeMode::kDestroy
                                             ? plan::PlanPurpose::kDestroy
                                             : plan::PlanPurpose::kConverge};
}

/// One planning pass, shown to the view; a plan with errors is an error.
Result<EnvironmentPlan> plan_pass(Engine& engine, const Workspace& workspace,
                                  const ConvergeRequest& request, model::DesiredState desired,
                                  ConvergeView& view, const std::optional<LastRecord>& last) {
  Result<EnvironmentPlan> planned =
      plan_environment(engine, workspace, request.project_directory, std::move(desired),
                       plan_options(request), last);
  if (!planned) return planned;
  view.planned(planned->plan);
  if (!planned->plan.errors.empty()) return planned->plan.errors;
  return planned;
}

/// The build contexts of this change: the working tree, or the request's commit.
BuildContextOpener context_opener(const Workspace& workspace, const ConvergeRequest& request) {
  return [&workspace, directory = request.project_directory,
          revision = request.build_revision](const model::BuildSpec& build) {
    return workspace.build_context(directory, build.context, revision);
  };
}

/// The pre-deploy hooks, the plan unless one of them failed, then the post-deploy hooks when
/// every action succeeded.
RecordedExecution execute_with_hooks(Engine& engine, const ConvergeRequest& request,
                                     const EnvironmentPlan& planned,
                                     const ExecutionRequest& execution_request, ConvergeView& view,
                                     const std::atomic<bool>& stop) {
  RecordedExecution execution;
  execution.hooks = run_hooks(engine, planned.desired, planned.plan, model::TaskWhen::kPreDeploy,
                              request.project_directory, view.tasks(), stop);
  if (!hooks_succeeded(execution.hooks)) {
    execution.report = stopped_by_hook(planned.plan, execution.hooks.back());
    return execution;
  }
  if (stop.load()) {  // between the hooks and the first change: change nothing
    execution.report =
        apply::ExecutionReport{std::vector<apply::ActionResult>(planned.plan.actions.size()), true};
    return execution;
  }
  execution.report = engine.execute(planned.plan, execution_request);
  if (!execution.report.succeeded()) return execution;
  std::vector<history::TaskOutcome> after =
      run_hooks(engine, planned.desired, planned.plan, model::TaskWhen::kPostDeploy,
                request.project_directory, view.tasks(), stop);
  execution.hooks.insert(execution.hooks.end(), after.begin(), after.end());
  return execution;
}

/// A record that an apply killed before it finished left in progress becomes interrupted, so
/// that the history says so for good (whatever becomes of that process id), before this
/// execution's record follows it. Under the lock: its writer is gone, or it would hold it.
Status finalise_unfinished(history::RecordStore& store, const std::string& environment) {
  Result<std::optional<history::Record>> newest = store.latest(environment);
  if (!newest) return newest.errors();
  if (!*newest) return ok_status();
  std::optional<history::NewRecord> finalised = finalised_as_interrupted(**newest, writer_running);
  if (!finalised) return ok_status();
  return store.replace_latest(*finalised, (*newest)->summary.number);
}

/// Says that nothing changed because the record could not be started.
Diagnostics nothing_changed(Diagnostics errors) {
  if (!errors.empty())
    errors.front().message = "nothing was changed: the deployment record could not be written: " +
                             errors.front().message;
  return errors;
}

/// Executes the plan under its deployment record: written in progress before the first
/// change, updated as each action completes, finished at the end.
Result<RecordedExecution> execute_recorded(Engine& engine, const Workspace& workspace,
                                           const ConvergeRequest& request,
                                           const EnvironmentPlan& planned, ConvergeView& view,
                                           const std::atomic<bool>& stop) {
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace.history(request.project_directory, history::StoreAccess::kWrite);
  if (!store) return store.errors();
  const std::string& environment = planned.desired.environment;
  if (Status finalised = finalise_unfinished(**store, environment); !finalised)
    return nothing_changed(finalised.errors());
  history::SourceInfo source = request.source ? *request.source : (*store)->source_info();
  auto started = std::chrono::steady_clock::now();
  auto started_at = std::chrono::system_clock::now();
  Result<std::unique_ptr<ApplyJournal>> journal = ApplyJournal::begin(
      **store,
      in_progress_record(planned.desired, planned.plan, request.record, source, started_at,
                         history::RecordWriter{this_host(), this_process_id()}),
      view.progress());
  if (!journal) return nothing_changed(journal.errors());
  ExecutionRequest execution_request{planned.desired,
                                     request.project_directory,
                                     std::to_string((*journal)->number()),
                                     **journal,
                                     stop,
                                     request.options.executor(),
                                     context_opener(workspace, request)};
  RecordedExecution execution =
      execute_with_hooks(engine, request, planned, execution_request, view, stop);
  execution.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  history::NewRecord record =
      deployment_record(planned.desired, planned.plan, execution.report, execution.hooks,
                        request.record, source, started_at, std::chrono::system_clock::now());
  if (Status finished = (*journal)->finish(record); finished)
    execution.record_number = (*journal)->number();
  else
    execution.record_errors = finished.errors();
  return execution;
}

/// A saved plan holds when neither state moved since it was made.
Status check_saved(const SavedPlanFile& saved_plan, const EnvironmentPlan& planned) {
  Result<plan::PlanFingerprints> saved = read_saved_plan(saved_plan);
  if (!saved) return saved.errors();
  return plan::check_saved_plan(*saved, fingerprints_of(planned.desired, planned.observed),
                                saved_plan.path);
}

/// Everything done under the lock: plan again, check, show, confirm, execute, record.
Result<ConvergeOutcome> converge_locked(Engine& engine, const Workspace& workspace,
                                        const ConvergeRequest& request,
                                        const model::DesiredState& desired, ConvergeView& view,
                                        const std::optional<LastRecord>& last,
                                        const std::atomic<bool>& stop) {
  Result<EnvironmentPlan> planned = plan_pass(engine, workspace, request, desired, view, last);
  if (!planned) return planned.errors();
  if (request.saved_plan) {
    if (Status current = check_saved(*request.saved_plan, *planned); !current)
      return current.errors();
  }
  ConvergeOutcome outcome;
  outcome.plan = planned->plan;
  view.show_plan(planned->plan);
  if (!planned->plan.has_changes()) return outcome;
  if (!request.saved_plan && request.options.approval == Approval::kAsk) {
    Result<bool> agreed = view.confirm(request.verb, planned->desired.environment,
                                       planned->desired.protected_environment);
    if (!agreed) return agreed.errors();
    if (!*agreed) {
      outcome.end = ConvergeEnd::kCancelled;
      return outcome;
    }
  }
  if (stop.load()) {
    outcome.end = ConvergeEnd::kInterrupted;
    return outcome;
  }
  view.executing(planned->plan);
  Result<RecordedExecution> execution =
      execute_recorded(engine, workspace, request, *planned, view, stop);
  if (!execution) return execution.errors();
  outcome.end = ConvergeEnd::kExecuted;
  outcome.execution = std::move(*execution);
  return outcome;
}

/// Tells the view the lock is held for as long as this lives.
class LockShown {
 public:
  LockShown(ConvergeView& view, const HeldLock& lock) : view_(view) {
    view_.lock_taken(lock.releaser());
  }
  ~LockShown() { view_.lock_released(); }
  LockShown(const LockShown&) = delete;
  LockShown& operator=(const LockShown&) = delete;

 private:
  ConvergeView& view_;
};

ConvergeOutcome ended(ConvergeEnd end, plan::Plan plan) {
  ConvergeOutcome outcome;
  outcome.end = end;
  outcome.plan = std::move(plan);
  return outcome;
}

}  // namespace

bool RecordedExecution::succeeded() const { return report.succeeded() && hooks_succeeded(hooks); }

bool RecordedExecution::interrupted() const {
  return report.interrupted ||
         (!hooks.empty() && hooks.back().end == history::TaskEnd::kInterrupted);
}

Result<ConvergeOutcome> converge(Engine& engine, const Workspace& workspace,
                                 const ConvergeRequest& request, ConvergeView& view,
                                 const std::atomic<bool>& stop) {
  model::DesiredState desired =
      request.mode == ConvergeMode::kDestroy ? nothing_desired(request.desired) : request.desired;
  // Plan before taking the lock: with nothing to change (or a dry run) that plan is the
  // answer, and the lock, a container made and removed on the daemon, was a third of a no-op
  // apply's time. A saved plan is checked under the lock only.
  std::optional<LastRecord> last;
  plan::Plan first_plan;
  if (request.options.dry_run || !request.saved_plan) {
    Result<EnvironmentPlan> planned = plan_pass(engine, workspace, request, desired, view, {});
    if (!planned) return planned.errors();
    if (request.options.dry_run || !planned->plan.has_changes()) {
      view.show_plan(planned->plan);
      return ended(ConvergeEnd::kPlanned, std::move(planned->plan));
    }
    last = std::move(planned->last);
    first_plan = std::move(planned->plan);
  }
  Result<LockAttempt> attempt = engine.try_lock(desired.project, desired.environment, request.verb,
                                                request.options.lock_wait, stop);
  if (!attempt && stop.load()) {
    ConvergeOutcome outcome = ended(ConvergeEnd::kInterrupted, std::move(first_plan));
    outcome.interruption = attempt.errors();
    return outcome;
  }
  if (!attempt) return attempt.errors();
  if (const docker::LockHolder* holder = std::get_if<docker::LockHolder>(&*attempt)) {
    if (stop.load() && request.contention == LockContention::kError) {  // a wait cut short
      ConvergeOutcome outcome = ended(ConvergeEnd::kInterrupted, std::move(first_plan));
      outcome.interruption = {docker::locked_error(desired.project, desired.environment, *holder)};
      return outcome;
    }
    if (request.contention == LockContention::kError)
      return docker::locked_error(desired.project, desired.environment, *holder);
    ConvergeOutcome outcome = ended(ConvergeEnd::kLocked, std::move(first_plan));
    outcome.holder = *holder;
    return outcome;
  }
  std::unique_ptr<HeldLock> lock = std::get<std::unique_ptr<HeldLock>>(std::move(*attempt));
  LockShown shown(view, *lock);  // until the lock is released
  Result<ConvergeOutcome> outcome =
      converge_locked(engine, workspace, request, desired, view, last, stop);
  Status released = lock->release();
  if (outcome && !released) outcome->release_errors = released.errors();
  return outcome;
}

}  // namespace run::app
