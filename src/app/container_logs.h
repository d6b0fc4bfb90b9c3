#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/engine.h"
#include "core/result.h"
#include "docker/container_logs.h"
#include "model/desired_state.h"
#include "model/observed_state.h"

namespace run::app {

/// One container whose logs are shown: a replica of a service.
struct LogSource {
  std::string service_name;
  int replica = 0;
  std::string container_id;

  bool operator==(const LogSource&) const = default;
};

/// A line of one replica's logs.
struct ReplicaLine {
  LogSource source;
  docker::LogLine line;
};

/// What `run logs` shows: the services (none named: every service of the desired state that
/// has containers) and which lines of each container.
struct LogsRequest {
  std::vector<std::string> service_names;
  docker::LogRequest lines;
};

/// The containers run owns of the chosen services, by service name and replica. Errors: a
/// name the desired state does not declare (with a suggestion), a named service without a
/// container, no container at all.
Result<std::vector<LogSource>> choose_log_sources(const model::DesiredState& desired,
                                                  const model::ObservedState& observed,
                                                  const std::vector<std::string>& service_names);

/// The logs of every chosen replica, as they are now.
struct ReadLogs {
  std::vector<LogSource> sources;  ///< by service name and replica
  /// Every replica's lines merged by time; lines of the same time in the order of the sources,
  /// and each replica's lines in their own order.
  std::vector<ReplicaLine> lines;
};

/// One snapshot, then the logs of the chosen replicas, merged. Errors: those of
/// choose_log_sources, the engine's (each naming its replica).
Result<ReadLogs> read_logs(Engine& engine, const model::DesiredState& desired,
                           const LogsRequest& request);

/// What following logs shows. Called one at a time (never two calls at once), from the
/// threads that follow the replicas.
class LogsView {
 public:
  virtual ~LogsView() = default;
  /// A replica is followed from now on: each chosen one at the start, then each new one.
  virtual void following(const LogSource& source) = 0;
  virtual void line(const ReplicaLine& line) = 0;
  /// Following a replica failed (other than by its container going away): it is not retried.
  virtual void follow_failed(const LogSource& source, const Diagnostics& errors) = 0;
};

/// Follows every chosen replica until `stop` is set, lines passed to `view` as they come.
/// Every `reobserve`, a new snapshot: a container of the chosen services not followed yet (a
/// rollout's replacement) is followed from its start; a replaced container's stream just ends.
/// Ok when stopped. Errors: those of choose_log_sources at the start, a snapshot that failed.
Status follow_logs(Engine& engine, const model::DesiredState& desired, const LogsRequest& request,
                   LogsView& view, const std::atomic<bool>& stop,
                   std::chrono::milliseconds reobserve = std::chrono::seconds(2));

/// A --since value: a duration back from `now_ns` ("10m", "1h30m") or an RFC 3339 time, in ns
/// since the epoch; an error naming `text` otherwise.
Result<std::int64_t> parse_since(std::string_view text, std::int64_t now_ns);

}  // namespace run::app
