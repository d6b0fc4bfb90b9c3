#include "docker/output_frames.h"

#include <algorithm>

namespace run::docker {

namespace {

constexpr std::size_t kHeaderSize = 8;
/// The most of a stream-3 payload (the daemon's error) kept for the message.
constexpr std::size_t kDaemonErrorLimit = 4 * 1024;

std::size_t payload_length(const std::array<unsigned char, 8>& header) {
  return (std::size_t{header[4]} << 24) | (std::size_t{header[5]} << 16) |
         (std::size_t{header[6]} << 8) | std::size_t{header[7]};
}

Diagnostics frame_error(std::string message, std::string hint = {}) {
  return Diagnostics{make_error(SourceLocation{}, "", std::move(message), std::move(hint))};
}

}  // namespace

std::string_view to_string(LogStream stream) {
  return stream == LogStream::kStderr ? "stderr" : "stdout";
}

Result<std::vector<OutputChunk>> FrameDemultiplexer::feed(std::string_view bytes) {
  if (failure_) return *failure_;
  std::vector<OutputChunk> chunks;
  while (!bytes.empty()) {
    if (phase_ == Phase::kHeader) {
      std::size_t taken = std::min(kHeaderSize - header_size_, bytes.size());
      std::copy_n(bytes.begin(), taken,
                  header_.begin() + static_cast<std::ptrdiff_t>(header_size_));
      header_size_ += taken;
      bytes.remove_prefix(taken);
      if (header_size_ < kHeaderSize) break;
      header_size_ = 0;
      if (Status header = take_header(); !header) {
        failure_ = header.errors();
        return *failure_;
      }
      continue;
    }
    std::size_t taken = std::min(payload_left_, bytes.size());
    if (phase_ == Phase::kPayload) take_payload(bytes.substr(0, taken), chunks);
    if (phase_ == Phase::kDaemonError) {
      std::size_t room = kDaemonErrorLimit - std::min(kDaemonErrorLimit, daemon_error_.size());
      daemon_error_.append(bytes.substr(0, std::min(room, taken)));
    }
    payload_left_ -= taken;
    bytes.remove_prefix(taken);
    if (payload_left_ > 0) continue;
    if (phase_ == Phase::kDaemonError) {
      failure_ = frame_error("Docker broke off the " + what_ + ": " + daemon_error_);
      return *failure_;
    }
    phase_ = Phase::kHeader;
  }
  return chunks;
}

Status FrameDemultiplexer::take_header() {
  if (header_[1] != 0 || header_[2] != 0 || header_[3] != 0 || header_[0] > 3)
    return frame_error("malformed " + what_ + " from Docker: a frame header with stream byte " +
                           std::to_string(header_[0]),
                       malformed_hint_);
  payload_left_ = payload_length(header_);
  phase_ = header_[0] == 3 ? Phase::kDaemonError : Phase::kPayload;
  stream_ = header_[0] == 2 ? LogStream::kStderr : LogStream::kStdout;
  if (payload_left_ > 0) return ok_status();
  if (phase_ == Phase::kDaemonError) return frame_error("Docker broke off the " + what_);
  phase_ = Phase::kHeader;
  return ok_status();
}

void FrameDemultiplexer::take_payload(std::string_view bytes,
                                      std::vector<OutputChunk>& chunks) const {
  if (bytes.empty()) return;
  if (!chunks.empty() && chunks.back().stream == stream_) {
    chunks.back().bytes.append(bytes);
    return;
  }
  chunks.push_back({stream_, std::string(bytes)});
}

}  // namespace run::docker
