#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace run::docker {

/// Which of a process's outputs bytes came from.
enum class LogStream { kStdout, kStderr };

std::string_view to_string(LogStream stream);

/// Bytes of one of a process's outputs, exactly as it wrote them: no line is cut or ended.
struct OutputChunk {
  LogStream stream = LogStream::kStdout;
  std::string bytes;

  bool operator==(const OutputChunk&) const = default;
};

/// Docker's multiplexed stream (logs, an exec or an attach without a TTY) taken apart into its
/// frames' payloads as the bytes arrive (LogDemultiplexer cuts them into lines on top): 8-byte
/// headers (byte 0 the stream: 0 or 1 stdout, 2 stderr, 3 the daemon's error;
/// bytes 1-3 zero; bytes 4-7 the payload's length, big-endian). A frame's payload is passed
/// on in the pieces it arrives in, so memory is bounded by what one feed holds. Pure.
class FrameDemultiplexer {
 public:
  /// `what` names the stream in errors ("output stream", "log stream"); `malformed_hint` is the
  /// hint of a malformed header.
  explicit FrameDemultiplexer(std::string what = "output stream", std::string malformed_hint = {})
      : what_(std::move(what)), malformed_hint_(std::move(malformed_hint)) {}

  /// Takes the next bytes of the stream; the payload bytes they carried, in order (adjacent
  /// bytes of one stream in one chunk). An error for a malformed header or a stream-3 frame
  /// (the daemon's message); once failed, every later feed fails the same way.
  Result<std::vector<OutputChunk>> feed(std::string_view bytes);

 private:
  enum class Phase { kHeader, kPayload, kDaemonError };

  Status take_header();
  void take_payload(std::string_view bytes, std::vector<OutputChunk>& chunks) const;

  std::string what_;
  std::string malformed_hint_;
  Phase phase_ = Phase::kHeader;
  std::array<unsigned char, 8> header_{};
  std::size_t header_size_ = 0;
  LogStream stream_ = LogStream::kStdout;
  std::size_t payload_left_ = 0;
  std::string daemon_error_;
  std::optional<Diagnostics> failure_;
};

}  // namespace run::docker
