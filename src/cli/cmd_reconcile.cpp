// run reconcile: the GitOps loop. Keeps an environment equal to its configuration (a branch
// of a remote, or the working tree), heals drift, records every deployment, and serves its
// health, metrics and a status page over HTTP.
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <random>

#include "app/deployment_record.h"
#include "app/reconcile_tick.h"
#include "cli/change_flags.h"
#include "cli/command_table.h"
#include "cli/duration_flag.h"
#include "cli/interrupts.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "core/log_context.h"
#include "core/seconds_text.h"
#include "docker/http_docker_api.h"
#include "reconcile/event_watch.h"
#include "reconcile/http_endpoints.h"
#include "reconcile/loop.h"
#include "reconcile/metrics.h"
#include "reconcile/notifier.h"
#include "reconcile/notify_policy.h"

#ifndef RUN_VERSION
#define RUN_VERSION "0.0.0"
#endif

namespace run::cli {

namespace {

struct ReconcileFlags {
  std::chrono::milliseconds interval{std::chrono::seconds(60)};
  bool once = false;
  std::string listen = "127.0.0.1:9464";
  std::string remote;
  std::string branch = "main";
  std::chrono::milliseconds fetch_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds backoff_max{std::chrono::minutes(5)};
  app::ChangeOptions change;  ///< --prune-volumes, --parallelism, --wait-timeout
};

/// The loop's timing and the tick's settings, from the flags.
struct ReconcileSetup {
  reconcile::LoopSettings loop;
  app::ReconcileSettings tick;
};

ReconcileSetup setup_of(const GlobalOptions& global, const ReconcileFlags& flags) {
  ReconcileSetup setup;
  setup.loop.interval = flags.interval;
  setup.loop.backoff.cap = flags.backoff_max;
  setup.loop.backoff.initial = std::min(setup.loop.backoff.initial, flags.backoff_max);
  if (!global.environment.empty()) setup.tick.environment = global.environment;
  if (!flags.remote.empty()) setup.tick.remote = flags.remote;
  setup.tick.branch = flags.branch;
  setup.tick.fetch_timeout = flags.fetch_timeout;
  setup.tick.options = flags.change;
  return setup;
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// One log line per tick: what a user watching the loop reads.
void log_tick(const std::string& environment, const reconcile::TickReport& tick) {
  // The environment is learned by the first tick that reads the configuration.
  std::string where =
      (environment.empty() ? std::string("the default environment") : environment) + " at " +
      (tick.commit.empty() ? std::string("working tree") : tick.commit.substr(0, 7));
  std::string hold =
      tick.hold_of ? " (rollback hold: keeping record #" + std::to_string(*tick.hold_of) + ")" : "";
  std::string took = " (" + seconds_text(tick.seconds) + ")";
  if (tick.result == reconcile::TickResult::kSkipped)
    return spdlog::warn("{}: skipped: {}{}", where, tick.error, took);
  if (tick.result == reconcile::TickResult::kFailure)
    return spdlog::error("{}: failed: {}{}", where, tick.error, took);
  if (!tick.applied) return spdlog::info("{}: in sync{}{}", where, hold, took);
  spdlog::info("{}: applied {}{}{}{}", where, tick.plan_summary,
               tick.record_number ? ", recorded as #" + std::to_string(*tick.record_number) : "",
               hold, took);
}

/// What each tick changes outside itself: metrics, the status page, logs, notifications,
/// and the event watch (started once the project is known).
class TickObservers {
 public:
  TickObservers(reconcile::Metrics& metrics, reconcile::StatusBoard& board,
                reconcile::Wakeup& wakeup, const app::ReconcileTick& tick, std::string run_id)
      : metrics_(metrics),
        board_(board),
        wakeup_(wakeup),
        tick_(tick),
        run_id_(std::move(run_id)) {}

  void after(const reconcile::TickReport& report, const std::string& reconcile_id) {
    log_tick(tick_.environment(), report);
    metrics_.record_tick(report, unix_now());
    board_.update([&](reconcile::LoopStatus& status) {
      status.project = tick_.project();
      status.environment = tick_.environment();
      status.last_tick = report;
      if (report.result == reconcile::TickResult::kSuccess) {
        status.last_success = report;
        status.last_success_unix = unix_now();
        status.consecutive_failures = 0;
      }
      if (report.result == reconcile::TickResult::kFailure) ++status.consecutive_failures;
      status.applied_commit = tick_.applied_commit();
      status.recent_history = tick_.recent_history();
    });
    notify(report, reconcile_id);
    watch_events();
  }

 private:
  void notify(const reconcile::TickReport& report, const std::string& reconcile_id) {
    if (!tick_.webhook_url()) {
      notifier_.reset();
      return;
    }
    if (!notifier_ || notifier_url_ != *tick_.webhook_url()) {
      notifier_ = std::make_unique<reconcile::WebhookNotifier>(*tick_.webhook_url());
      notifier_url_ = *tick_.webhook_url();
    }
    for (reconcile::NotifyKind kind : reconcile::notifications_for(report, last_failed_))
      notifier_->post({kind, tick_.project(), tick_.environment(), run_id_, reconcile_id, report});
    last_failed_ = report.result == reconcile::TickResult::kFailure;
  }

  void watch_events() {
    if (tick_.project().empty() || tick_.project() == watched_project_) return;
    Result<docker::DockerEndpoint> endpoint = docker::DockerEndpoint::from_environment();
    if (!endpoint) return;
    watched_project_ = tick_.project();
    events_.reset();
    events_ = std::make_unique<reconcile::EventWatch>(
        std::move(*endpoint), watched_project_, tick_.environment(),
        [this](const std::string& event) { wakeup_.event(event); });
  }

  reconcile::Metrics& metrics_;
  reconcile::StatusBoard& board_;
  reconcile::Wakeup& wakeup_;
  const app::ReconcileTick& tick_;
  std::string run_id_;
  std::unique_ptr<reconcile::WebhookNotifier> notifier_;
  std::string notifier_url_;
  bool last_failed_ = false;
  std::string watched_project_;
  std::unique_ptr<reconcile::EventWatch> events_;
};

reconcile::LoopStatus initial_status(const ReconcileSetup& setup) {
  reconcile::LoopStatus status;
  status.environment = setup.tick.environment.value_or("");
  status.source = setup.tick.remote ? *setup.tick.remote + "/" + setup.tick.branch : "working tree";
  status.interval_seconds = static_cast<double>(setup.loop.interval.count()) / 1000.0;
  status.started_at = app::iso_utc(std::chrono::system_clock::now());
  status.version = RUN_VERSION;
  return status;
}

ExitCode run_reconcile(const GlobalOptions& global, const ReconcileFlags& flags) {
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  // The configuration is not read here: one broken when the loop starts is a failed tick.
  ReconcileSetup setup = setup_of(global, flags);
  Result<std::unique_ptr<app::LocalWorkspace>> workspace = open_workspace(global);
  if (!workspace) return fail(workspace.errors(), global);
  // setup_logging named this process; the same id ties logs, metrics and webhooks together.
  std::string run_id = log_context()[static_cast<std::size_t>(LogField::kRunId)].value_or("");
  if (!global.environment.empty()) set_log_field(LogField::kEnvironment, global.environment);

  reconcile::Wakeup wakeup;
  watch.on_stop([&wakeup] {
    spdlog::info(
        "stopping: the running action finishes, nothing new starts (a second signal aborts)");
    wakeup.stop();
  });
  if (watch.interrupted()) wakeup.stop();  // a signal that came before on_stop was set
  reconcile::Metrics metrics(RUN_VERSION);
  reconcile::StatusBoard board(initial_status(setup));
  reconcile::HttpEndpoints http;
  if (!flags.once && flags.listen != "off") {
    reconcile::EndpointSources sources{[&board] { return board.snapshot(); },
                                       [&metrics] { return metrics.prometheus_text(); }, unix_now};
    if (Status started = http.start(flags.listen, std::move(sources)); !started)
      return fail(started.errors(), global);
    spdlog::info("serving /healthz, /readyz, /metrics and the status page on http://{}/",
                 http.bound_address());
  }
  app::ReconcileTick tick(**workspace, setup.tick, watch.stop_requested());
  TickObservers observers(metrics, board, wakeup, tick, run_id);
  int ticks = 0;
  auto run_tick = [&](const std::string& trigger) {
    std::string reconcile_id = run_id + "-" + std::to_string(++ticks);
    set_log_field(LogField::kReconcileId, reconcile_id);
    reconcile::TickReport report = tick.run(trigger);
    observers.after(report, reconcile_id);
    return report;
  };
  if (flags.once) {
    reconcile::TickReport report = run_tick("once");
    if (watch.interrupted()) return ExitCode::kInterrupted;
    return report.result == reconcile::TickResult::kSuccess ? ExitCode::kSuccess : ExitCode::kError;
  }
  spdlog::info("reconciling {} from {} every {}",
               global.environment.empty() ? "the default environment" : global.environment,
               board.snapshot().source,
               seconds_text(static_cast<double>(setup.loop.interval.count()) / 1000.0));
  std::mt19937 random(std::random_device{}());
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  reconcile::run_loop(setup.loop, wakeup, run_tick, [&] { return jitter(random); });
  spdlog::info("stopped after {} {}", ticks, ticks == 1 ? "tick" : "ticks");
  return ExitCode::kSuccess;
}

}  // namespace

void add_reconcile_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand(
      "reconcile", "Keep an environment equal to its configuration: the GitOps loop");
  auto flags = std::make_shared<ReconcileFlags>();
  add_duration_option(*command, "--interval", flags->interval, ZeroDuration::kRefused,
                      "Time between ticks while all is well (default 60s)");
  command->add_flag(
      "--once", flags->once,
      "Run one tick and exit with its code (0 in sync or applied, 1 failed or locked)");
  command
      ->add_option(
          "--listen", flags->listen,
          "Serve /healthz, /readyz, /metrics and / here (default 127.0.0.1:9464; off: none)")
      ->type_name("ADDR");
  command
      ->add_option("--remote", flags->remote,
                   "Fetch the configuration from this git remote (git remote -v) instead of the "
                   "working tree")
      ->type_name("NAME");
  command->add_option("--branch", flags->branch, "The remote's branch to follow (default main)")
      ->type_name("BRANCH");
  add_duration_option(*command, "--fetch-timeout", flags->fetch_timeout, ZeroDuration::kRefused,
                      "Longest a fetch of --remote may take before the tick fails (default 60s)");
  add_duration_option(*command, "--backoff-max", flags->backoff_max, ZeroDuration::kRefused,
                      "Longest wait between retries after failures (default 5m)");
  add_prune_volumes_flag(*command, flags->change);
  add_execution_flags(*command, flags->change);
  command->footer(
      "Each tick: fetch REMOTE BRANCH (with --remote; the working tree is never touched; a fetch\n"
      "that takes longer than --fetch-timeout is killed and fails the tick) or read the working\n"
      "tree; plan; apply when anything differs (a new commit, or drift: a container\n"
      "removed, stopped or changed by hand); record the deployment in history. A container that\n"
      "dies, stops or is removed wakes the loop at once. Failures (a broken config, an\n"
      "unreachable remote, a failed apply) are logged, counted and retried with exponential\n"
      "backoff and jitter, up to --backoff-max. A tick is skipped while another apply holds the\n"
      "environment's lock. After 'run rollback', the rolled-back state is kept (and healed)\n"
      "until a newer commit arrives. SIGTERM or Ctrl-C: the running action finishes (a fetch is\n"
      "cut short), the lock is released, exit 0. notify: { webhook: URL } in run-config.yaml\n"
      "posts apply and drift events. --log-format json: one JSON object per line.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_reconcile(global, *flags); };
  });
}

}  // namespace run::cli
