#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace run::docker {

/// Which of a container's outputs a line came from.
enum class LogStream { kStdout, kStderr };

std::string_view to_string(LogStream stream);

/// One line of a container's output, without its line end.
struct LogRecord {
  LogStream stream = LogStream::kStdout;
  std::string line;

  bool operator==(const LogRecord&) const = default;
};

/// The longest line passed on whole: a longer one is cut into pieces of this size, so output
/// with no line end (a progress bar) never grows without bound.
inline constexpr std::size_t kMaxLogLine = 64 * 1024;

/// Docker's multiplexed log stream (a container without a TTY), taken apart as its bytes
/// arrive: frames of an 8-byte header (byte 0 the stream: 0 stdin or 1 stdout, both passed as
/// stdout, 2 stderr; bytes 1-3 zero; bytes 4-7 the payload's length, big-endian) and their
/// payload. Lines may span frames and a frame may hold several lines; each stream keeps its
/// own unfinished line. Pure: no I/O, and memory bounded by `max_line` per stream whatever the
/// input (a frame's length is never allocated up front).
class LogDemultiplexer {
 public:
  explicit LogDemultiplexer(std::size_t max_line = kMaxLogLine);

  /// Takes the next bytes of the stream; the lines they finished, in order. An error for a
  /// malformed header (an unknown stream, non-zero padding, or stream 3: the daemon's own
  /// error, whose payload is the message); once failed, every later feed fails the same way.
  Result<std::vector<LogRecord>> feed(std::string_view bytes);

  /// The stream ended: each stream's unfinished line, if any (stdout's first). A stream cut
  /// inside a frame is not an error: the container was removed, or the reader stopped.
  std::vector<LogRecord> finish();

 private:
  enum class Phase { kHeader, kPayload, kDaemonError };

  Status take_header();
  void take_payload(std::string_view bytes, std::vector<LogRecord>& records);
  void take_error_text(std::string_view bytes);
  std::string& pending_of(LogStream stream);

  std::size_t max_line_;
  Phase phase_ = Phase::kHeader;
  std::array<unsigned char, 8> header_{};
  std::size_t header_size_ = 0;
  LogStream stream_ = LogStream::kStdout;
  std::size_t payload_left_ = 0;
  std::string pending_stdout_;
  std::string pending_stderr_;
  std::string daemon_error_;
  std::optional<Diagnostics> failure_;
};

}  // namespace run::docker
