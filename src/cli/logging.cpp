#include "cli/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "core/json_text.h"

namespace run::cli {

namespace {

/// One JSON object per line: spdlog 1.10 has no JSON output, and a pattern cannot escape.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& destination) override {
    auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(message.time.time_since_epoch()).count();
    std::string line = "{\"time_ms\": " + std::to_string(since_epoch) + ", \"level\": " +
                       json_quote(std::string(spdlog::level::to_string_view(message.level).data(),
                                              spdlog::level::to_string_view(message.level).size())) +
                       ", \"msg\": " + json_quote(std::string_view(message.payload.data(), message.payload.size())) + "}\n";
    destination.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

void setup_logging(const GlobalOptions& global) {
  auto logger = std::make_shared<spdlog::logger>("run", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (global.log_format == "json") {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_pattern("%^%l%$: %v");
  }
  logger->set_level(global.quiet ? spdlog::level::err : global.verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace run::cli
