#include <doctest/doctest.h>

#include "docker/exec_session.h"
#include "fake_docker_api.h"

// An interactive exec against a fake daemon: what is created and started, the TTY's size, the
// output raw with a TTY and taken apart without one, the input and its end, the exit code.

namespace run::docker {

namespace {

std::string frame(int stream, std::string_view payload) {
  std::string header(8, '\0');
  header[0] = static_cast<char>(stream);
  header[7] = static_cast<char>(payload.size());
  return header + std::string(payload);
}

struct Daemon {
  test::FakeDockerApi api;

  explicit Daemon(std::vector<std::string> output) {
    api.answer("/containers/c1/exec", 201, R"({"Id":"e1"})");
    api.answer("/exec/e1/resize", 200, "");
    api.answer("/exec/e1/json", 200, R"({"Running":false,"ExitCode":3})");
    api.answer_hijacked("/exec/e1/start", 101, std::move(output));
  }

  /// The body and path of each request sent with `method`, in order.
  std::vector<std::string> sent(std::string_view method) const {
    std::vector<std::string> sent;
    for (const test::FakeDockerApi::Recorded& request : api.recorded())
      if (request.method == method) sent.push_back(request.path + " " + request.body);
    return sent;
  }
};

struct Output {
  std::string out;
  std::string err;
};

/// Receives until the output ends.
Output drain(ExecSession& session) {
  Output output;
  auto sink = [&](LogStream stream, std::string_view bytes) {
    (stream == LogStream::kStderr ? output.err : output.out).append(bytes);
  };
  while (true) {
    Result<StreamState> state = session.receive_output(sink, std::chrono::milliseconds(10));
    REQUIRE(state);
    if (*state == StreamState::kEnded) return output;
  }
}

}  // namespace

TEST_CASE("exec session -it: a TTY of the terminal's size, raw output, input, then the exit code") {
  Daemon daemon({"$ ", frame(1, "not a frame")});  // with a TTY nothing is taken apart
  ExecSessionSpec spec{{"sh"}, ExecInput::kAttached, ExecTty::kAllocated, TerminalSize{30, 100}};
  Result<std::unique_ptr<ExecSession>> session = start_exec_session(daemon.api, "c1", spec);
  REQUIRE(session);
  std::vector<std::string> posts = daemon.sent("POST");
  REQUIRE(posts.size() == 3);
  CHECK(posts[0] ==
        R"(/containers/c1/exec {"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,)"
        R"("Tty":true,"ConsoleSize":[30,100],"Cmd":["sh"]})");
  CHECK(posts[1] == R"(/exec/e1/start {"Detach":false,"Tty":true})");
  // A daemon older than API 1.42 ignores ConsoleSize: the size is also set once it started.
  CHECK(posts[2] == "/exec/e1/resize?h=30&w=100 ");
  REQUIRE((*session)->send_input("exit 3\r"));
  (*session)->close_input();
  CHECK(daemon.api.attached_log().input == "exit 3\r");
  CHECK(daemon.api.attached_log().write_closed);
  Output output = drain(**session);
  CHECK(output.out == "$ " + frame(1, "not a frame"));
  REQUIRE((*session)->resize(TerminalSize{40, 120}));
  CHECK(daemon.sent("POST").back() == "/exec/e1/resize?h=40&w=120 ");
  Result<int> code = (*session)->exit_code();
  REQUIRE(code);
  CHECK(*code == 3);
}

TEST_CASE("exec session -i: no TTY, so stdout and stderr come apart from their frames") {
  Daemon daemon({frame(1, "out") + frame(2, "e"), frame(2, "rr")});
  ExecSessionSpec spec{{"cat"}, ExecInput::kAttached, ExecTty::kNone, std::nullopt};
  Result<std::unique_ptr<ExecSession>> session = start_exec_session(daemon.api, "c1", spec);
  REQUIRE(session);
  std::vector<std::string> posts = daemon.sent("POST");
  REQUIRE(posts.size() == 2);  // no resize without a TTY
  CHECK(posts[0] ==
        R"(/containers/c1/exec {"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,)"
        R"("Tty":false,"Cmd":["cat"]})");
  CHECK(posts[1] == R"(/exec/e1/start {"Detach":false,"Tty":false})");
  Output output = drain(**session);
  CHECK(output.out == "out");
  CHECK(output.err == "err");
}

TEST_CASE("exec session: a start Docker refuses is an error with Docker's message") {
  Daemon daemon({});
  daemon.api.answer_hijacked("/exec/e1/start", 409,
                             {R"({"message":"container c1 is not running"})"});
  Result<std::unique_ptr<ExecSession>> session =
      start_exec_session(daemon.api, "c1", ExecSessionSpec{{"sh"}});
  REQUIRE(!session);
  CHECK(session.errors().front().message.find("container c1 is not running") != std::string::npos);
}

}  // namespace run::docker
