#include "app/container_logs.h"

#include <algorithm>
#include <charconv>
#include <mutex>
#include <set>
#include <thread>

#include "app/swarm_refusal.h"
#include "core/did_you_mean.h"
#include "model/names.h"
#include "model/units.h"

namespace run::app {

namespace {
constexpr const char* kSwarmLogsHint =
    "'docker service logs PROJECT-ENV-SERVICE' on a manager shows a swarm service's logs";
}  // namespace

namespace {

using ServiceNames = std::set<std::string>;

std::string environment_name(const model::DesiredState& desired) {
  return desired.project + "/" + desired.environment;
}

std::vector<std::string> declared_names(const model::DesiredState& desired) {
  std::vector<std::string> names;
  for (const model::ServiceSpec& spec : desired.services) names.push_back(spec.name);
  return names;
}

/// The named services, or every declared one when none is named.
ServiceNames chosen_names(const model::DesiredState& desired,
                          const std::vector<std::string>& service_names) {
  if (!service_names.empty()) return {service_names.begin(), service_names.end()};
  std::vector<std::string> declared = declared_names(desired);
  return {declared.begin(), declared.end()};
}

/// The containers of `chosen` services in `observed`, by service name and replica.
std::vector<LogSource> sources_of(const model::ObservedState& observed,
                                  const ServiceNames& chosen) {
  std::vector<LogSource> sources;
  for (const model::ObservedContainer& container : observed.containers) {
    std::string service_name = container.label(model::kLabelService);
    if (chosen.count(service_name) == 0) continue;
    sources.push_back({service_name, container.replica().value_or(0), container.id});
  }
  std::sort(sources.begin(), sources.end(), [](const LogSource& a, const LogSource& b) {
    return std::tie(a.service_name, a.replica, a.container_id) <
           std::tie(b.service_name, b.replica, b.container_id);
  });
  return sources;
}

bool has_source(const std::vector<LogSource>& sources, const std::string& service_name) {
  return std::any_of(sources.begin(), sources.end(),
                     [&](const LogSource& source) { return source.service_name == service_name; });
}

std::string replica_name(const LogSource& source) {
  return source.service_name + "-" + std::to_string(source.replica);
}

/// `errors`, each saying whose logs it is about.
Diagnostics about(const LogSource& source, Diagnostics errors) {
  for (Diagnostic& error : errors)
    error.message = "logs of " + replica_name(source) + ": " + error.message;
  return errors;
}

/// One thread per followed container, each passing its lines to the view under one lock.
/// Destroying it waits for every thread: set `halt` first.
class Followers {
 public:
  Followers(Engine& engine, LogsView& view, const std::atomic<bool>& halt)
      : engine_(engine), view_(view), halt_(halt) {}

  void follow(const LogSource& source, const docker::LogRequest& request) {
    followed_.insert(source.container_id);
    {
      std::lock_guard lock(view_mutex_);
      view_.following(source);
    }
    threads_.emplace_back([this, source, request] { run(source, request); });
  }

  bool followed(const std::string& container_id) const { return followed_.count(container_id) > 0; }

 private:
  void run(const LogSource& source, const docker::LogRequest& request) {
    Status followed = engine_.follow_logs(
        source.container_id, request,
        [&](const docker::LogLine& line) {
          std::lock_guard lock(view_mutex_);
          view_.line(ReplicaLine{source, line});
        },
        halt_);
    if (followed || halt_.load()) return;
    std::lock_guard lock(view_mutex_);
    view_.follow_failed(source, about(source, followed.errors()));
  }

  Engine& engine_;
  LogsView& view_;
  const std::atomic<bool>& halt_;
  std::mutex view_mutex_;
  std::set<std::string> followed_;
  std::vector<std::jthread> threads_;  // last: joined before the members they use go
};

/// Waits up to `period`, looking at `stop` every 100 ms; whether it was not set.
bool wait_unless_stopped(const std::atomic<bool>& stop, std::chrono::milliseconds period) {
  auto until = std::chrono::steady_clock::now() + period;
  while (!stop.load() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::min(period, std::chrono::milliseconds(100)));
  return !stop.load();
}

/// Follows what `sources` has and, each period, what a new snapshot adds, until `stop`.
Status follow_until_stopped(Engine& engine, const model::DesiredState& desired,
                            const LogsRequest& request, const std::vector<LogSource>& sources,
                            LogsView& view, const std::atomic<bool>& stop,
                            std::chrono::milliseconds reobserve) {
  ServiceNames chosen = chosen_names(desired, request.service_names);
  std::atomic<bool> halt{false};
  Followers followers(engine, view, halt);
  for (const LogSource& source : sources) followers.follow(source, request.lines);
  Status status = ok_status();
  while (wait_unless_stopped(stop, reobserve)) {
    Result<model::ObservedState> observed = engine.observe(desired);
    if (!observed) {
      status = observed.errors();
      break;
    }
    // A replacement is followed from its start: its first lines are news too.
    for (const LogSource& source : sources_of(*observed, chosen))
      if (!followers.followed(source.container_id)) followers.follow(source, {});
  }
  halt = true;
  return status;
}

}  // namespace

Result<std::vector<LogSource>> choose_log_sources(const model::DesiredState& desired,
                                                  const model::ObservedState& observed,
                                                  const std::vector<std::string>& service_names) {
  Diagnostics errors;
  for (const std::string& name : service_names) {
    if (desired.find_service(name)) continue;
    errors.push_back(usage_error("no service '" + name + "' in " + environment_name(desired),
                                 did_you_mean_or_declared(name, declared_names(desired))));
  }
  if (!errors.empty()) return errors;
  std::vector<LogSource> sources = sources_of(observed, chosen_names(desired, service_names));
  for (const std::string& name : ServiceNames(service_names.begin(), service_names.end())) {
    if (has_source(sources, name)) continue;
    errors.push_back(usage_error("service '" + name + "' has no container in " +
                                 environment_name(desired) + ": run apply first"));
  }
  if (!errors.empty()) return errors;
  if (sources.empty())
    return usage_error("no service has a container in " + environment_name(desired) +
                       ": run apply first");
  return sources;
}

Result<ReadLogs> read_logs(Engine& engine, const model::DesiredState& desired,
                           const LogsRequest& request) {
  if (Status local = refuse_on_swarm(desired, "logs", kSwarmLogsHint); !local)
    return local.errors();
  Result<model::ObservedState> observed = engine.observe(desired);
  if (!observed) return observed.errors();
  Result<std::vector<LogSource>> sources =
      choose_log_sources(desired, *observed, request.service_names);
  if (!sources) return sources.errors();
  ReadLogs read{*sources, {}};
  for (const LogSource& source : read.sources) {
    Result<std::vector<docker::LogLine>> lines =
        engine.read_logs(source.container_id, request.lines);
    if (!lines) return about(source, lines.errors());
    for (docker::LogLine& line : *lines) read.lines.push_back({source, std::move(line)});
  }
  // Stable: the sources' order breaks ties, and each replica's lines keep their order.
  std::stable_sort(
      read.lines.begin(), read.lines.end(),
      [](const ReplicaLine& a, const ReplicaLine& b) { return a.line.time_ns < b.line.time_ns; });
  return read;
}

Status follow_logs(Engine& engine, const model::DesiredState& desired, const LogsRequest& request,
                   LogsView& view, const std::atomic<bool>& stop,
                   std::chrono::milliseconds reobserve) {
  if (Status local = refuse_on_swarm(desired, "logs", kSwarmLogsHint); !local) return local;
  Result<model::ObservedState> observed = engine.observe(desired);
  if (!observed) return observed.errors();
  Result<std::vector<LogSource>> sources =
      choose_log_sources(desired, *observed, request.service_names);
  if (!sources) return sources.errors();
  return follow_until_stopped(engine, desired, request, *sources, view, stop, reobserve);
}

Result<std::int64_t> parse_since(std::string_view text, std::int64_t now_ns) {
  if (std::optional<std::int64_t> back_ms = model::parse_duration_ms(text))
    return now_ns - *back_ms * 1'000'000;
  if (std::optional<std::int64_t> time_ns = docker::parse_rfc3339_ns(text)) return *time_ns;
  return usage_error(
      "--since '" + std::string(text) + "' is neither a duration nor an RFC 3339 time",
      "write e.g. 10m, 1h30m or 2024-05-01T10:00:00Z");
}

}  // namespace run::app
