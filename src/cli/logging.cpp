#include "cli/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>

#include "core/log_context.h"

namespace run::cli {

namespace {

/// "2026-11-29T07:30:00.123Z": UTC, to the millisecond.
std::string iso_time_ms(std::chrono::system_clock::time_point time) {
  auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];  // room for any int, so the compiler sees no truncation
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(since_epoch.count() % 1000));
  return text;
}

/// 16 hex characters that tell this process's lines apart from another's.
std::string random_run_id() {
  std::random_device device;
  std::uint64_t bits = (std::uint64_t{device()} << 32) | device();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(bits));
  return text;
}

/// One JSON object per line: spdlog 1.10 has no JSON output, and a pattern cannot escape.
/// The context (run, tick, environment, commit) is read per line, so a line shows the tick
/// that was running when it was logged.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& destination) override {
    spdlog::string_view_t level = spdlog::level::to_string_view(message.level);
    std::string line = json_log_line(
        iso_time_ms(message.time), std::string_view(level.data(), level.size()),
        std::string_view(message.payload.data(), message.payload.size()), log_context());
    destination.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

void setup_logging(const GlobalOptions& global) {
  if (!log_context()[static_cast<std::size_t>(LogField::kRunId)])
    set_log_field(LogField::kRunId, random_run_id());
  auto logger =
      std::make_shared<spdlog::logger>("run", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (global.log_format == "json") {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_pattern("%^%l%$: %v");
  }
  logger->set_level(global.quiet     ? spdlog::level::err
                    : global.verbose ? spdlog::level::debug
                                     : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace run::cli
