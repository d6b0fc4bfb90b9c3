#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace run {

/// What every JSON log line says about where it comes from, besides its message. A long-running
/// process (`run reconcile`) sets these as it learns them, so a log aggregator can group the
/// lines of one tick, one environment or one commit.
enum class LogField {
  kRunId,        ///< the process: 16 hex characters, set once at start
  kReconcileId,  ///< the reconcile tick being worked on
  kEnvironment,  ///< the environment, e.g. "production"
  kCommit,       ///< the configuration's commit
};

inline constexpr std::size_t kLogFieldCount = 4;

/// A snapshot of the fields: nullopt for a field that is not set (a JSON null).
using LogContextValues = std::array<std::optional<std::string>, kLogFieldCount>;

/// The JSON key of a field: "run_id", "reconcile_id", "env", "commit".
std::string_view log_field_key(LogField field);

/// Sets or clears one field of the process-wide context. Safe from any thread; a line being
/// written at the same time shows either the old or the new value, never a mix.
void set_log_field(LogField field, std::string value);
void clear_log_field(LogField field);
/// Clears every field (tests; a process that starts over).
void clear_log_fields();

/// A copy of the process-wide context, taken under its lock.
LogContextValues log_context();

/// One log line: `{"time":"2026-11-29T07:30:00.123Z","level":"info","msg":"...","run_id":"...",
/// "reconcile_id":null,"env":"dev","commit":null}` and a newline. Every key is always there, in
/// this order; an unset field is null. The message and the fields are escaped, and bytes that
/// are not well-formed UTF-8 become U+FFFD, so the line is valid JSON whatever was logged.
std::string json_log_line(std::string_view time_iso, std::string_view level,
                          std::string_view message, const LogContextValues& context);

/// `text` with each byte that does not belong to a well-formed UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace run
