#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "docker/docker_api.h"
#include "docker/log_stream.h"

namespace run::docker {

/// Which of a container's lines to read.
struct LogRequest {
  std::optional<int> tail;               ///< the last N lines; none: all of them
  std::optional<std::int64_t> since_ns;  ///< lines from this time on (ns since the epoch)

  bool operator==(const LogRequest&) const = default;
};

/// One line of a container's output with the time Docker received it.
struct LogLine {
  LogStream stream = LogStream::kStdout;
  std::string time;          ///< Docker's RFC 3339 time, "2024-05-01T10:00:00.123456789Z"
  std::int64_t time_ns = 0;  ///< the same in ns since the epoch, to order lines by
  std::string text;          ///< without the time and the line end

  bool operator==(const LogLine&) const = default;
};

/// The most of one container's logs a one-shot read takes before it gives up with an error.
inline constexpr std::size_t kMaxLogBytes = 64 * 1024 * 1024;

enum class LogFollow { kNo, kYes };

/// GET /containers/{id}/logs with stdout, stderr and timestamps (always: lines of several
/// containers are ordered by them), tail and since when asked, follow=1 when following.
std::string logs_path(const std::string& container_id, const LogRequest& request, LogFollow follow);

/// An RFC 3339 time ("2024-05-01T10:00:00Z", "2024-05-01T12:00:00.5+02:00") in ns since the
/// epoch; nullopt when `text` is not one (a date alone, no zone, out-of-range fields).
std::optional<std::int64_t> parse_rfc3339_ns(std::string_view text);

/// `record` with the time Docker put in front of it taken off. A line without one (the rest
/// of a line cut at kMaxLogLine) keeps the time of `previous`, when there is one.
LogLine timed_line(LogRecord record, const LogLine* previous);

/// A container's logs as they are now, in their order: at most kMaxLogBytes, within
/// `timeout`. Errors: Docker's (no such container), a malformed stream, too much, too slow.
Result<std::vector<LogLine>> read_container_logs(
    DockerApi& api, const std::string& container_id, const LogRequest& request,
    std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// Passes each line of a container's logs to `on_line` as it arrives (after those `request`
/// asks for from the past), until the container's stream ends (it stopped or was removed: ok)
/// or `stop` is set (ok). Errors: Docker's, a broken or malformed stream.
Status follow_container_logs(DockerApi& api, const std::string& container_id,
                             const LogRequest& request,
                             const std::function<void(const LogLine&)>& on_line,
                             const std::atomic<bool>& stop);

}  // namespace run::docker
