#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace run::docker {

/// Whether an attached stream goes on after a read.
enum class StreamState { kOpen, kEnded };

/// A connection Docker took over for an attached exec (POST /exec/{id}/start with an
/// upgrade): raw bytes both ways. Out: the command's output, as 8-byte-header frames when the
/// exec has no TTY, else as the TTY wrote it. In: the command's stdin. One thread may read
/// while another writes.
class AttachedStream {
 public:
  virtual ~AttachedStream() = default;

  /// Waits up to `wait` for bytes and appends what came to `bytes`: kOpen (perhaps with
  /// nothing yet), kEnded once Docker closed its side (the command ended). An error when the
  /// stream broke.
  virtual Result<StreamState> read(std::string& bytes, std::chrono::milliseconds wait) = 0;
  /// Sends `bytes` to the command's stdin. An error when Docker took none of it in time, or
  /// the stream broke.
  virtual Status write(std::string_view bytes) = 0;
  /// The command's stdin ends (shutdown of our writing side); its output still comes.
  virtual void close_write() = 0;
};

}  // namespace run::docker
