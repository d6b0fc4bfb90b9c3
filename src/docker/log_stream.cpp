#include "docker/log_stream.h"

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

Diagnostics stream_error(std::string message, std::string hint = {}) {
  return Diagnostics{make_error(SourceLocation{}, "", std::move(message), std::move(hint))};
}

}  // namespace

std::string_view to_string(LogStream stream) {
  return stream == LogStream::kStderr ? "stderr" : "stdout";
}

LogDemultiplexer::LogDemultiplexer(std::size_t max_line)
    : max_line_(std::max<std::size_t>(1, max_line)) {}

Result<std::vector<LogRecord>> LogDemultiplexer::feed(std::string_view bytes) {
  if (failure_) return *failure_;
  std::vector<LogRecord> records;
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
    if (phase_ == Phase::kPayload) take_payload(bytes.substr(0, taken), records);
    if (phase_ == Phase::kDaemonError) take_error_text(bytes.substr(0, taken));
    payload_left_ -= taken;
    bytes.remove_prefix(taken);
    if (payload_left_ > 0) continue;
    if (phase_ == Phase::kDaemonError) {
      failure_ = stream_error("Docker broke off the log stream: " + daemon_error_);
      return *failure_;
    }
    phase_ = Phase::kHeader;
  }
  return records;
}

std::vector<LogRecord> LogDemultiplexer::finish() {
  std::vector<LogRecord> records;
  if (!pending_stdout_.empty()) records.push_back({LogStream::kStdout, std::move(pending_stdout_)});
  if (!pending_stderr_.empty()) records.push_back({LogStream::kStderr, std::move(pending_stderr_)});
  pending_stdout_.clear();
  pending_stderr_.clear();
  return records;
}

Status LogDemultiplexer::take_header() {
  if (header_[1] != 0 || header_[2] != 0 || header_[3] != 0 || header_[0] > 3)
    return stream_error(
        "malformed log stream from Docker: a frame header with stream byte " +
            std::to_string(header_[0]),
        "a container with tty: true answers with raw output, which run does not read");
  payload_left_ = payload_length(header_);
  phase_ = header_[0] == 3 ? Phase::kDaemonError : Phase::kPayload;
  stream_ = header_[0] == 2 ? LogStream::kStderr : LogStream::kStdout;
  if (payload_left_ > 0) return ok_status();
  if (phase_ == Phase::kDaemonError) return stream_error("Docker broke off the log stream");
  phase_ = Phase::kHeader;
  return ok_status();
}

void LogDemultiplexer::take_payload(std::string_view bytes, std::vector<LogRecord>& records) {
  std::string& pending = pending_of(stream_);
  while (!bytes.empty()) {
    std::size_t end = bytes.find('\n');
    std::string_view piece = bytes.substr(0, end);
    // Cut a line that reached the limit, so the unfinished line never exceeds it.
    while (pending.size() + piece.size() > max_line_) {
      std::size_t room = max_line_ - pending.size();
      pending.append(piece.substr(0, room));
      piece.remove_prefix(room);
      records.push_back({stream_, std::move(pending)});
      pending.clear();
    }
    pending.append(piece);
    if (end == std::string_view::npos) return;
    if (pending.ends_with('\r')) pending.pop_back();
    records.push_back({stream_, std::move(pending)});
    pending.clear();
    bytes.remove_prefix(end + 1);
  }
}

void LogDemultiplexer::take_error_text(std::string_view bytes) {
  std::size_t room = kDaemonErrorLimit - std::min(kDaemonErrorLimit, daemon_error_.size());
  daemon_error_.append(bytes.substr(0, room));
}

std::string& LogDemultiplexer::pending_of(LogStream stream) {
  return stream == LogStream::kStderr ? pending_stderr_ : pending_stdout_;
}

}  // namespace run::docker
