#include "core/log_context.h"

#include <mutex>

#include "core/json_text.h"
#include "core/utf8.h"

namespace run {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

struct SharedContext {
  std::mutex mutex;
  LogContextValues values;
};

SharedContext& shared_context() {
  static SharedContext context;
  return context;
}

std::size_t index_of(LogField field) { return static_cast<std::size_t>(field); }

/// A field as JSON: its value quoted, or null.
std::string json_value(const std::optional<std::string>& value) {
  return value ? json_quote(valid_utf8(*value)) : std::string("null");
}

}  // namespace

std::string_view log_field_key(LogField field) {
  switch (field) {
    case LogField::kRunId:
      return "run_id";
    case LogField::kReconcileId:
      return "reconcile_id";
    case LogField::kEnvironment:
      return "env";
    case LogField::kCommit:
      return "commit";
  }
  return "unknown";
}

void set_log_field(LogField field, std::string value) {
  SharedContext& context = shared_context();
  std::lock_guard lock(context.mutex);
  context.values[index_of(field)] = std::move(value);
}

void clear_log_field(LogField field) {
  SharedContext& context = shared_context();
  std::lock_guard lock(context.mutex);
  context.values[index_of(field)].reset();
}

void clear_log_fields() {
  SharedContext& context = shared_context();
  std::lock_guard lock(context.mutex);
  context.values = {};
}

LogContextValues log_context() {
  SharedContext& context = shared_context();
  std::lock_guard lock(context.mutex);
  return context.values;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  // first_invalid_utf8 scans from the start, so each call gets only what is left.
  while (std::optional<std::size_t> bad = first_invalid_utf8(text)) {
    out += text.substr(0, *bad);
    out += kReplacementCharacter;
    text.remove_prefix(*bad + 1);
  }
  out += text;
  return out;
}

std::string json_log_line(std::string_view time_iso, std::string_view level,
                          std::string_view message, const LogContextValues& context) {
  std::string line = "{\"time\":" + json_quote(valid_utf8(time_iso)) +
                     ",\"level\":" + json_quote(valid_utf8(level)) +
                     ",\"msg\":" + json_quote(valid_utf8(message));
  for (std::size_t i = 0; i < kLogFieldCount; ++i) {
    line += ",\"";
    line += log_field_key(static_cast<LogField>(i));
    line += "\":" + json_value(context[i]);
  }
  line += "}\n";
  return line;
}

}  // namespace run
