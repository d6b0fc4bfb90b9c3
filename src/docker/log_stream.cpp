#include "docker/log_stream.h"

#include <algorithm>

namespace run::docker {

LogDemultiplexer::LogDemultiplexer(std::size_t max_line)
    : max_line_(std::max<std::size_t>(1, max_line)),
      frames_("log stream",
              "a container with tty: true answers with raw output, which run does not read") {}

Result<std::vector<LogRecord>> LogDemultiplexer::feed(std::string_view bytes) {
  Result<std::vector<OutputChunk>> chunks = frames_.feed(bytes);
  if (!chunks) return chunks.errors();
  std::vector<LogRecord> records;
  for (const OutputChunk& chunk : *chunks) take_chunk(chunk, records);
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

void LogDemultiplexer::take_chunk(const OutputChunk& chunk, std::vector<LogRecord>& records) {
  std::string& pending = pending_of(chunk.stream);
  std::string_view bytes = chunk.bytes;
  while (!bytes.empty()) {
    std::size_t end = bytes.find('\n');
    std::string_view piece = bytes.substr(0, end);
    // Cut a line that reached the limit, so the unfinished line never exceeds it.
    while (pending.size() + piece.size() > max_line_) {
      std::size_t room = max_line_ - pending.size();
      pending.append(piece.substr(0, room));
      piece.remove_prefix(room);
      records.push_back({chunk.stream, std::move(pending)});
      pending.clear();
    }
    pending.append(piece);
    if (end == std::string_view::npos) return;
    if (pending.ends_with('\r')) pending.pop_back();
    records.push_back({chunk.stream, std::move(pending)});
    pending.clear();
    bytes.remove_prefix(end + 1);
  }
}

std::string& LogDemultiplexer::pending_of(LogStream stream) {
  return stream == LogStream::kStderr ? pending_stderr_ : pending_stdout_;
}

}  // namespace run::docker
