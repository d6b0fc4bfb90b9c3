#include "docker/exec_session.h"

#include <thread>

#include "docker/json_fields.h"
#include "docker/output_frames.h"

namespace run::docker {

namespace {

/// A resize sent as the exec starts can come before the daemon started the process; it is
/// tried again, as the docker CLI does, for about a second in all.
constexpr int kResizeAttempts = 10;
constexpr std::chrono::milliseconds kResizeBackoff{20};

const char* json_bool(bool value) { return value ? "true" : "false"; }

std::string resize_path(const std::string& exec_id, TerminalSize size) {
  return "/exec/" + url_encode(exec_id) + "/resize?h=" + std::to_string(size.rows) +
         "&w=" + std::to_string(size.columns);
}

/// An exec started with its connection taken over by Docker.
class AttachedExecSession final : public ExecSession {
 public:
  AttachedExecSession(DockerApi& api, std::string container_id, std::string exec_id, ExecTty tty,
                      std::unique_ptr<AttachedStream> stream)
      : api_(api),
        container_id_(std::move(container_id)),
        exec_id_(std::move(exec_id)),
        tty_(tty),
        stream_(std::move(stream)) {}

  Status send_input(std::string_view bytes) override { return stream_->write(bytes); }
  void close_input() override { stream_->close_write(); }

  Result<StreamState> receive_output(const OutputSink& on_output,
                                     std::chrono::milliseconds wait) override {
    std::string bytes;
    Result<StreamState> state = stream_->read(bytes, wait);
    if (!state || bytes.empty()) return state;
    if (tty_ == ExecTty::kAllocated) {
      on_output(LogStream::kStdout, bytes);  // a TTY has one output, as it wrote it
      return state;
    }
    Result<std::vector<OutputChunk>> chunks = demultiplexer_.feed(bytes);
    if (!chunks) return chunks.errors();
    for (const OutputChunk& chunk : *chunks) on_output(chunk.stream, chunk.bytes);
    return state;
  }

  Status resize(TerminalSize size) override {
    Result<std::string> resized = expect_success(api_.request("POST", resize_path(exec_id_, size)),
                                                 "POST", "/exec/" + exec_id_ + "/resize", api_);
    if (!resized) return resized.errors();
    return ok_status();
  }

  Result<int> exit_code() override { return exec_exit_code(api_, container_id_, exec_id_); }

  /// The first size, while the process may not have started yet.
  void resize_at_start(TerminalSize size) {
    for (int attempt = 1; attempt <= kResizeAttempts; ++attempt) {
      if (resize(size)) return;
      std::this_thread::sleep_for(kResizeBackoff * attempt / 2);
    }
    // The TTY keeps Docker's default size: the session still works, so no error.
  }

 private:
  DockerApi& api_;
  std::string container_id_;
  std::string exec_id_;
  ExecTty tty_;
  std::unique_ptr<AttachedStream> stream_;
  FrameDemultiplexer demultiplexer_;
};

std::string start_body(ExecTty tty) {
  return std::string(R"({"Detach":false,"Tty":)") + json_bool(tty == ExecTty::kAllocated) + "}";
}

}  // namespace

std::string exec_session_create_body(const ExecSessionSpec& spec) {
  bool tty = spec.tty == ExecTty::kAllocated;
  std::string body = std::string(R"({"AttachStdin":)") +
                     json_bool(spec.input == ExecInput::kAttached) +
                     R"(,"AttachStdout":true,"AttachStderr":true,"Tty":)" + json_bool(tty);
  if (tty && spec.size)
    body += R"(,"ConsoleSize":[)" + std::to_string(spec.size->rows) + "," +
            std::to_string(spec.size->columns) + "]";
  return body + R"(,"Cmd":)" + json_string_list(spec.command) + "}";
}

Result<std::unique_ptr<ExecSession>> start_exec_session(DockerApi& api,
                                                        const std::string& container_id,
                                                        const ExecSessionSpec& spec) {
  Result<std::string> exec_id = create_exec(api, container_id, exec_session_create_body(spec));
  if (!exec_id) return exec_id.errors();
  Result<std::unique_ptr<AttachedStream>> stream =
      api.post_hijacked("/exec/" + url_encode(*exec_id) + "/start", start_body(spec.tty));
  if (!stream) return stream.errors();
  auto session = std::make_unique<AttachedExecSession>(api, container_id, *exec_id, spec.tty,
                                                       std::move(*stream));
  if (spec.tty == ExecTty::kAllocated && spec.size) session->resize_at_start(*spec.size);
  return std::unique_ptr<ExecSession>(std::move(session));
}

}  // namespace run::docker
