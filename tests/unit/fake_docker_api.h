#pragma once

// A DockerApi that answers from a table and records every request: for observe without a
// daemon, and to prove which methods a path sends.

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "docker/docker_api.h"

namespace run::test {

/// What a fake attached stream was sent, kept past the stream's end.
struct AttachedLog {
  std::string input;
  bool write_closed = false;
};

/// A taken-over connection that hands out scripted pieces, one a read, then ends.
class FakeAttachedStream final : public docker::AttachedStream {
 public:
  FakeAttachedStream(std::vector<std::string> pieces, std::shared_ptr<AttachedLog> log)
      : pieces_(std::move(pieces)), log_(std::move(log)) {}
  Result<docker::StreamState> read(std::string& bytes, std::chrono::milliseconds) override {
    if (next_ == pieces_.size()) return docker::StreamState::kEnded;
    bytes += pieces_[next_++];
    return docker::StreamState::kOpen;
  }
  Status write(std::string_view bytes) override {
    log_->input.append(bytes);
    return ok_status();
  }
  void close_write() override { log_->write_closed = true; }

 private:
  std::vector<std::string> pieces_;
  std::size_t next_ = 0;
  std::shared_ptr<AttachedLog> log_;
};

class FakeDockerApi final : public docker::DockerApi {
 public:
  struct Recorded {
    std::string method;
    std::string path;
    std::string body;
  };

  /// Answers requests whose path starts with `path_prefix` (the longest prefix wins).
  void answer(std::string path_prefix, long status, std::string body) {
    answers_[std::move(path_prefix)] = docker::DockerResponse{status, std::move(body)};
  }

  /// Answers requests to exactly `path` with `responses` in turn, the last one from then on.
  void answer_in_turn(std::string path, std::vector<docker::DockerResponse> responses) {
    in_turn_[std::move(path)] = std::move(responses);
  }

  Result<docker::DockerResponse> request(std::string_view method, const std::string& path,
                                         const std::string& body,
                                         std::chrono::milliseconds /*timeout*/) override {
    std::lock_guard lock(mutex_);  // observe sends from several threads
    recorded_.push_back({std::string(method), path, body});
    if (auto turn = in_turn_.find(path); turn != in_turn_.end()) {
      docker::DockerResponse next = turn->second.front();
      if (turn->second.size() > 1) turn->second.erase(turn->second.begin());
      return next;
    }
    const docker::DockerResponse* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& [prefix, response] : answers_) {
      if (path.starts_with(prefix) && prefix.size() >= best_length) {
        best = &response;
        best_length = prefix.size();
      }
    }
    if (best == nullptr) return docker::DockerResponse{404, R"({"message": "no such thing"})"};
    return *best;
  }

  /// What a streamed POST sent: its body drained into a string.
  struct Streamed {
    std::string path;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
  };

  /// Answers streamed POSTs whose path starts with `path_prefix` (the longest prefix wins)
  /// with `status` and, for a 2xx status, `lines` one at a time (else their concatenation as
  /// the refusal's body). Unscripted: 404.
  void answer_stream(std::string path_prefix, long status, std::vector<std::string> lines) {
    stream_answers_[std::move(path_prefix)] = StreamAnswer{status, std::move(lines)};
  }

  /// Drains the body as the daemon would, then passes the scripted lines, looking at `stop`
  /// before each (a listener may set it), like the real one: an error when stopped.
  Result<long> post_streamed(const docker::StreamedPost& post,
                             const std::function<void(std::string_view line)>& on_line,
                             const std::atomic<bool>& stop) override {
    std::string body;
    bool written = post.body([&](std::string_view piece) {
      body.append(piece);
      return !stop.load();
    });
    record_stream(post, std::move(body));
    if (stop.load()) return make_error(SourceLocation{}, "", "POST to the fake interrupted");
    if (!written) return make_error(SourceLocation{}, "", "the body's writer gave up");
    StreamAnswer answer = stream_answer(post.path);
    if (answer.status < 200 || answer.status > 299) {
      std::string body;
      for (const std::string& line : answer.lines) body += line;
      Result<std::string> refused = docker::expect_success(
          docker::DockerResponse{answer.status, body}, "POST", post.path, *this);
      if (!refused) return refused.errors();
    }
    for (const std::string& line : answer.lines) {
      if (stop.load()) return make_error(SourceLocation{}, "", "POST to the fake interrupted");
      on_line(line);
    }
    return answer.status;
  }

  /// Answers streamed GETs whose path starts with `path_prefix` (the longest prefix wins)
  /// with `status` and, for a 2xx status, `pieces` of the body one at a time (else their
  /// concatenation as the refusal's body). Unscripted: 404.
  void answer_get_stream(std::string path_prefix, long status, std::vector<std::string> pieces) {
    get_stream_answers_[std::move(path_prefix)] = StreamAnswer{status, std::move(pieces)};
  }

  /// Passes the scripted pieces, looking at `stop` before each (a listener may set it): ok
  /// when stopped or at the end, like the real one.
  Status get_streamed(const std::string& path,
                      const std::function<void(std::string_view bytes)>& on_bytes,
                      const std::atomic<bool>& stop) override {
    StreamAnswer answer;
    {
      std::lock_guard lock(mutex_);
      recorded_.push_back({"GET", path});
      answer = best_stream_answer(get_stream_answers_, path);
    }
    if (answer.status < 200 || answer.status > 299) {
      std::string body;
      for (const std::string& piece : answer.lines) body += piece;
      Result<std::string> refused =
          docker::expect_success(docker::DockerResponse{answer.status, body}, "GET", path, *this);
      if (!refused) return refused.errors();
    }
    for (const std::string& piece : answer.lines) {
      if (stop.load()) return ok_status();
      on_bytes(piece);
    }
    return ok_status();
  }

  /// Answers attached POSTs (an exec's start) whose path starts with `path_prefix` with
  /// `status` and, for a 2xx status, `pieces` one at a time. Unscripted: 404.
  void answer_attached(std::string path_prefix, long status, std::vector<std::string> pieces) {
    attached_answers_[std::move(path_prefix)] = StreamAnswer{status, std::move(pieces)};
  }

  Status post_attached(const std::string& path, const std::string& body,
                       const std::function<void(std::string_view bytes)>& on_bytes,
                       const std::atomic<bool>& stop) override {
    StreamAnswer answer;
    {
      std::lock_guard lock(mutex_);
      recorded_.push_back({"POST", path});
      attached_bodies_.push_back(body);
      answer = best_stream_answer(attached_answers_, path);
    }
    if (answer.status < 200 || answer.status > 299) {
      std::string refusal;
      for (const std::string& piece : answer.lines) refusal += piece;
      Result<std::string> refused = docker::expect_success(
          docker::DockerResponse{answer.status, refusal}, "POST", path, *this);
      if (!refused) return refused.errors();
    }
    for (const std::string& piece : answer.lines) {
      if (stop.load()) return ok_status();
      on_bytes(piece);
    }
    return ok_status();
  }
  const std::vector<std::string>& attached_bodies() const { return attached_bodies_; }

  /// Answers hijacking POSTs (an exec's start with stdin) whose path starts with `path_prefix`
  /// with `status` and, for 101 or a 2xx status, a stream that hands out `pieces`, one a read (what
  /// it is sent goes to attached_log()). Unscripted: 404.
  void answer_hijacked(std::string path_prefix, long status, std::vector<std::string> pieces) {
    hijacked_answers_[std::move(path_prefix)] = StreamAnswer{status, std::move(pieces)};
  }

  Result<std::unique_ptr<docker::AttachedStream>> post_hijacked(const std::string& path,
                                                                const std::string& body) override {
    StreamAnswer answer;
    {
      std::lock_guard lock(mutex_);
      recorded_.push_back({"POST", path, body});
      answer = best_stream_answer(hijacked_answers_, path);
    }
    bool taken_over = answer.status == 101 || (answer.status >= 200 && answer.status <= 299);
    if (!taken_over) {
      std::string refusal;
      for (const std::string& piece : answer.lines) refusal += piece;
      Result<std::string> refused = docker::expect_success(
          docker::DockerResponse{answer.status, refusal}, "POST", path, *this);
      if (!refused) return refused.errors();
    }
    return std::unique_ptr<docker::AttachedStream>(
        std::make_unique<FakeAttachedStream>(answer.lines, attached_log_));
  }
  const AttachedLog& attached_log() const { return *attached_log_; }

  std::string endpoint() const override { return "unix:///fake.sock"; }
  const std::vector<Recorded>& recorded() const { return recorded_; }
  const std::vector<Streamed>& streamed() const { return streamed_; }

 private:
  struct StreamAnswer {
    long status = 404;
    std::vector<std::string> lines = {R"({"message": "no such thing"})"};
  };

  void record_stream(const docker::StreamedPost& post, std::string body) {
    std::lock_guard lock(mutex_);
    recorded_.push_back({"POST", post.path});
    streamed_.push_back({post.path, post.content_type, post.headers, std::move(body)});
  }

  StreamAnswer stream_answer(const std::string& path) {
    std::lock_guard lock(mutex_);
    return best_stream_answer(stream_answers_, path);
  }

  static StreamAnswer best_stream_answer(const std::map<std::string, StreamAnswer>& answers,
                                         const std::string& path) {
    const StreamAnswer* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& [prefix, answer] : answers) {
      if (path.starts_with(prefix) && prefix.size() >= best_length) {
        best = &answer;
        best_length = prefix.size();
      }
    }
    return best == nullptr ? StreamAnswer{} : *best;
  }

  std::map<std::string, docker::DockerResponse> answers_;
  std::map<std::string, StreamAnswer> stream_answers_;
  std::map<std::string, StreamAnswer> get_stream_answers_;
  std::map<std::string, StreamAnswer> attached_answers_;
  std::map<std::string, StreamAnswer> hijacked_answers_;
  std::shared_ptr<AttachedLog> attached_log_ = std::make_shared<AttachedLog>();
  std::vector<std::string> attached_bodies_;
  std::vector<Streamed> streamed_;
  std::map<std::string, std::vector<docker::DockerResponse>> in_turn_;
  std::vector<Recorded> recorded_;
  std::mutex mutex_;
};

}  // namespace run::test
