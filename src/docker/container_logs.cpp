#include "docker/container_logs.h"

#include <charconv>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace run::docker {

namespace {

using Clock = std::chrono::steady_clock;

/// Sets `flag` when `outer` is set or `deadline` passes, whichever comes first, until it is
/// destroyed: one flag to stop a stream for either reason (the stream takes one).
class Watchdog {
 public:
  Watchdog(std::atomic<bool>& flag, const std::atomic<bool>& outer, Clock::time_point deadline)
      : thread_([this, &flag, &outer, deadline](const std::stop_token& token) {
          watch(token, flag, outer, deadline);
        }) {}

  bool expired() const { return expired_.load(); }

 private:
  void watch(const std::stop_token& token, std::atomic<bool>& flag, const std::atomic<bool>& outer,
             Clock::time_point deadline) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    while (!token.stop_requested()) {
      if (outer.load()) break;
      if (Clock::now() >= deadline) {
        expired_ = true;
        break;
      }
      wake.wait_for(lock, token, std::chrono::milliseconds(100), [] { return false; });
    }
    if (!token.stop_requested()) flag = true;
  }

  std::atomic<bool> expired_{false};
  std::jthread thread_;  // last: it uses the members above
};

const std::atomic<bool> kNeverStopped{false};

/// A fixed-width number at the front of `text`, taken off it.
std::optional<int> take_digits(std::string_view& text, std::size_t width) {
  if (text.size() < width) return std::nullopt;
  int number = 0;
  for (std::size_t i = 0; i < width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    number = number * 10 + (text[i] - '0');
  }
  text.remove_prefix(width);
  return number;
}

bool take_char(std::string_view& text, char expected) {
  if (text.empty() || (text.front() != expected && !(expected == 'T' && text.front() == 't')))
    return false;
  text.remove_prefix(1);
  return true;
}

/// ".123456789" taken off `text`, as ns (up to 9 digits count; more are ignored).
std::int64_t take_fraction(std::string_view& text) {
  if (text.empty() || text.front() != '.') return 0;
  text.remove_prefix(1);
  std::int64_t ns = 0;
  std::size_t digits = 0;
  for (; !text.empty() && text.front() >= '0' && text.front() <= '9'; text.remove_prefix(1))
    if (++digits <= 9) ns = ns * 10 + (text.front() - '0');
  for (std::size_t i = digits; i < 9; ++i) ns *= 10;
  return ns;
}

/// "Z", "+02:00" or "-05:30" as the offset from UTC in seconds; the whole of `text`.
std::optional<std::int64_t> zone_offset_s(std::string_view text) {
  if (text == "Z" || text == "z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  int sign = text[0] == '-' ? -1 : 1;
  text.remove_prefix(1);
  std::optional<int> hours = take_digits(text, 2);
  if (!hours || !take_char(text, ':')) return std::nullopt;
  std::optional<int> minutes = take_digits(text, 2);
  if (!minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  return sign * (*hours * 3600 + *minutes * 60);
}

std::string since_text(std::int64_t since_ns) {
  if (since_ns < 0) since_ns = 0;
  std::string fraction = std::to_string(since_ns % 1'000'000'000);
  return std::to_string(since_ns / 1'000'000'000) + "." + std::string(9 - fraction.size(), '0') +
         fraction;
}

void append_timed(std::vector<LogRecord> records, std::vector<LogLine>& lines) {
  for (LogRecord& record : records)
    lines.push_back(timed_line(std::move(record), lines.empty() ? nullptr : &lines.back()));
}

Diagnostic logs_error(const std::string& container_id, const std::string& message,
                      std::string hint = {}) {
  return make_error(SourceLocation{}, "",
                    "the logs of container " + container_id.substr(0, 12) + " " + message,
                    std::move(hint));
}

}  // namespace

std::string logs_path(const std::string& container_id, const LogRequest& request,
                      LogFollow follow) {
  std::string path =
      "/containers/" + url_encode(container_id) + "/logs?stdout=1&stderr=1&timestamps=1";
  path += "&tail=" + (request.tail ? std::to_string(*request.tail) : std::string("all"));
  if (request.since_ns) path += "&since=" + since_text(*request.since_ns);
  if (follow == LogFollow::kYes) path += "&follow=1";
  return path;
}

std::optional<std::int64_t> parse_rfc3339_ns(std::string_view text) {
  std::optional<int> year = take_digits(text, 4);
  if (!year || !take_char(text, '-')) return std::nullopt;
  std::optional<int> month = take_digits(text, 2);
  if (!month || !take_char(text, '-')) return std::nullopt;
  std::optional<int> day = take_digits(text, 2);
  if (!day || !take_char(text, 'T')) return std::nullopt;
  std::optional<int> hour = take_digits(text, 2);
  if (!hour || !take_char(text, ':')) return std::nullopt;
  std::optional<int> minute = take_digits(text, 2);
  if (!minute || !take_char(text, ':')) return std::nullopt;
  std::optional<int> second = take_digits(text, 2);
  if (!second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  std::int64_t fraction_ns = take_fraction(text);
  std::optional<std::int64_t> offset_s = zone_offset_s(text);
  std::chrono::year_month_day date{std::chrono::year(*year),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (!offset_s || !date.ok()) return std::nullopt;
  std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  std::int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second - *offset_s;
  return seconds * 1'000'000'000 + fraction_ns;
}

LogLine timed_line(LogRecord record, const LogLine* previous) {
  std::size_t space = record.line.find(' ');
  std::string_view head = std::string_view(record.line).substr(0, space);
  std::optional<std::int64_t> time_ns =
      space == std::string::npos ? std::nullopt : parse_rfc3339_ns(head);
  if (!time_ns) {
    LogLine line{record.stream, "", 0, std::move(record.line)};
    if (previous) {
      line.time = previous->time;
      line.time_ns = previous->time_ns;
    }
    return line;
  }
  return LogLine{record.stream, std::string(head), *time_ns, record.line.substr(space + 1)};
}

Result<std::vector<LogLine>> read_container_logs(DockerApi& api, const std::string& container_id,
                                                 const LogRequest& request,
                                                 std::chrono::milliseconds timeout) {
  std::atomic<bool> cut{false};
  LogDemultiplexer demultiplexer;
  std::vector<LogLine> lines;
  Diagnostics malformed;
  std::size_t received = 0;
  bool too_much = false;
  auto on_bytes = [&](std::string_view bytes) {
    if (cut.load()) return;
    received += bytes.size();
    Result<std::vector<LogRecord>> records = demultiplexer.feed(bytes);
    if (!records) malformed = records.errors();
    too_much = received > kMaxLogBytes;
    if (!records || too_much) cut = true;
    if (records) append_timed(std::move(*records), lines);
  };
  Status read = ok_status();
  bool expired = false;
  {
    Watchdog watchdog(cut, kNeverStopped, Clock::now() + timeout);
    read = api.get_streamed(logs_path(container_id, request, LogFollow::kNo), on_bytes, cut);
    expired = watchdog.expired();
  }
  if (!read) return read.errors();
  if (!malformed.empty()) return malformed;
  if (too_much)
    return logs_error(container_id, "are larger than 64 MiB",
                      "read fewer lines with --tail or --since");
  if (expired)
    return logs_error(container_id,
                      "did not come within " + std::to_string(timeout.count() / 1000) + " s",
                      "check that dockerd is responsive (docker info)");
  append_timed(demultiplexer.finish(), lines);
  return lines;
}

Status follow_container_logs(DockerApi& api, const std::string& container_id,
                             const LogRequest& request,
                             const std::function<void(const LogLine&)>& on_line,
                             const std::atomic<bool>& stop) {
  std::atomic<bool> halt{false};
  LogDemultiplexer demultiplexer;
  Diagnostics malformed;
  std::optional<LogLine> last;
  auto pass = [&](std::vector<LogRecord> records) {
    for (LogRecord& record : records) {
      last = timed_line(std::move(record), last ? &*last : nullptr);
      on_line(*last);
    }
  };
  auto on_bytes = [&](std::string_view bytes) {
    if (halt.load()) return;
    Result<std::vector<LogRecord>> records = demultiplexer.feed(bytes);
    if (!records) {
      malformed = records.errors();
      halt = true;
      return;
    }
    pass(std::move(*records));
  };
  Status followed = ok_status();
  {
    Watchdog watchdog(halt, stop, Clock::time_point::max());
    followed = api.get_streamed(logs_path(container_id, request, LogFollow::kYes), on_bytes, halt);
  }
  if (!followed) return followed.errors();
  if (!malformed.empty()) return malformed;
  if (!stop.load()) pass(demultiplexer.finish());
  return ok_status();
}

}  // namespace run::docker
