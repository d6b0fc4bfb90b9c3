#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "docker/output_frames.h"

namespace run::docker {

/// One line of a container's output, without its line end.
struct LogRecord {
  LogStream stream = LogStream::kStdout;
  std::string line;

  bool operator==(const LogRecord&) const = default;
};

/// The longest line passed on whole: a longer one is cut into pieces of this size, so output
/// with no line end (a progress bar) never grows without bound.
inline constexpr std::size_t kMaxLogLine = 64 * 1024;

/// Docker's multiplexed log stream (a container without a TTY) cut into lines as its bytes
/// arrive: the frames are FrameDemultiplexer's; lines may span frames and a frame may hold several
/// lines; each stream keeps its own unfinished line. Pure: no I/O, and memory bounded by `max_line`
/// per stream whatever the input (a frame's length is never allocated up front).
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
  void take_chunk(const OutputChunk& chunk, std::vector<LogRecord>& records);
  std::string& pending_of(LogStream stream);

  std::size_t max_line_;
  FrameDemultiplexer frames_;
  std::string pending_stdout_;
  std::string pending_stderr_;
};

}  // namespace run::docker
