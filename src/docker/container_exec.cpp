#include "docker/container_exec.h"

#include <rapidjson/document.h>

#include <chrono>
#include <thread>

#include "docker/json_fields.h"
#include "docker/output_frames.h"

namespace run::docker {

namespace {

/// How long an exec whose stream ended may still say it runs before run gives up on its code.
constexpr std::chrono::seconds kExitCodeWait{5};
constexpr std::chrono::milliseconds kExitCodePoll{50};

std::string short_id(const std::string& id) { return id.substr(0, 12); }

/// Sends one request and keeps only success or Docker's reason, with `what` in front.
Result<std::string> call(DockerApi& api, std::string_view method, const std::string& path,
                         const std::string& body, const std::string& what) {
  Result<std::string> answer = expect_success(api.request(method, path, body), method, path, api);
  if (answer) return answer;
  Diagnostics errors = answer.errors();
  for (Diagnostic& error : errors) error.message = what + ": " + error.message;
  return errors;
}

Diagnostic exec_error(const std::string& container_id, const std::string& message) {
  return make_error(SourceLocation{}, "",
                    "exec in container " + short_id(container_id) + ": " + message);
}

/// Streams the started exec's output to `on_output` until it ends or `stop` is set.
Status relay_output(DockerApi& api, const std::string& exec_id, const OutputSink& on_output,
                    const std::atomic<bool>& stop) {
  FrameDemultiplexer demultiplexer;
  Diagnostics malformed;
  auto on_bytes = [&](std::string_view bytes) {
    if (!malformed.empty()) return;
    Result<std::vector<OutputChunk>> chunks = demultiplexer.feed(bytes);
    if (!chunks) {
      malformed = chunks.errors();
      return;
    }
    for (const OutputChunk& chunk : *chunks) on_output(chunk.stream, chunk.bytes);
  };
  Status started = api.post_attached("/exec/" + url_encode(exec_id) + "/start",
                                     R"({"Detach":false,"Tty":false})", on_bytes, stop);
  if (!started) return started;
  if (!malformed.empty()) return malformed;
  return ok_status();
}

enum class ExecState { kRunning, kEnded };

struct ExecStatus {
  ExecState state = ExecState::kRunning;
  int exit_code = 0;
};

Result<ExecStatus> inspect_exec(DockerApi& api, const std::string& exec_id) {
  Result<std::string> answer = call(api, "GET", "/exec/" + url_encode(exec_id) + "/json", "",
                                    "inspect exec " + short_id(exec_id));
  if (!answer) return answer.errors();
  rapidjson::Document json;
  json.Parse(answer->c_str(), answer->size());
  if (json.HasParseError() || !json.IsObject())
    return make_error(
        SourceLocation{}, "",
        "inspect exec " + short_id(exec_id) + ": Docker's answer is not a JSON object");
  bool running = json.HasMember("Running") && json["Running"].IsBool() && json["Running"].GetBool();
  if (running) return ExecStatus{};
  int code = json.HasMember("ExitCode") && json["ExitCode"].IsInt() ? json["ExitCode"].GetInt() : 0;
  return ExecStatus{ExecState::kEnded, code};
}

}  // namespace

Result<std::string> create_exec(DockerApi& api, const std::string& container_id,
                                const std::string& body) {
  Result<std::string> answer =
      call(api, "POST", "/containers/" + url_encode(container_id) + "/exec", body,
           "exec in container " + short_id(container_id));
  if (!answer) return answer;
  rapidjson::Document json;
  json.Parse(answer->c_str(), answer->size());
  std::string id = json.HasParseError() ? std::string() : string_member(json, "Id");
  if (id.empty()) return exec_error(container_id, "Docker's answer has no Id");
  return id;
}

Result<int> exec_exit_code(DockerApi& api, const std::string& container_id,
                           const std::string& exec_id) {
  auto until = std::chrono::steady_clock::now() + kExitCodeWait;
  while (true) {
    Result<ExecStatus> status = inspect_exec(api, exec_id);
    if (!status) return status.errors();
    if (status->state == ExecState::kEnded) return status->exit_code;
    if (std::chrono::steady_clock::now() >= until)
      return exec_error(container_id, "the command's output ended but Docker says it still runs");
    std::this_thread::sleep_for(kExitCodePoll);
  }
}

std::string exec_create_body(const std::vector<std::string>& command) {
  return R"({"AttachStdin":false,"AttachStdout":true,"AttachStderr":true,"Tty":false,"Cmd":)" +
         json_string_list(command) + "}";
}

Result<int> exec_in_container(DockerApi& api, const std::string& container_id,
                              const std::vector<std::string>& command, const OutputSink& on_output,
                              const std::atomic<bool>& stop) {
  Result<std::string> exec_id = create_exec(api, container_id, exec_create_body(command));
  if (!exec_id) return exec_id.errors();
  if (Status relayed = relay_output(api, *exec_id, on_output, stop); !relayed)
    return relayed.errors();
  if (stop.load()) return kInterruptedExitCode;
  return exec_exit_code(api, container_id, *exec_id);
}

}  // namespace run::docker
