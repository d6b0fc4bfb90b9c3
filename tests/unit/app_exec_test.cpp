#include <doctest/doctest.h>

#include <deque>
#include <thread>

#include "app/container_exec.h"
#include "app/environment_plan.h"
#include "app/interactive_exec.h"
#include "app_fakes.h"
#include "docker/output_frames.h"

// run exec's use case through the fake engine: which replica, errors, the exit code; and the
// frame demultiplexer that keeps an exec's output byte for byte.

namespace run::app {

namespace {

constexpr std::string_view kTwoServices =
    "version: \"2\"\n"
    "project: shop\n"
    "default_environment: dev\n"
    "services:\n"
    "  web:\n"
    "    image: busybox:web\n"
    "    replicas: 3\n"
    "  worker:\n"
    "    image: busybox:web\n"
    "environments:\n"
    "  dev: {}\n";

/// web-1 exited, web-2 and web-3 run; worker has a stopped container only.
constexpr std::string_view kWebRunning =
    R"({"images": {"busybox:web": "sha256:w1"}, "networks": ["shop-dev"], "volumes": [],
        "containers": [{"service": "web", "replica": 3}, {"service": "web", "replica": 2},
                       {"service": "web", "replica": 1, "state": "exited"},
                       {"service": "worker", "replica": 1, "state": "exited"}]})";

struct Shop {
  test::FakeWorkspace workspace;
  model::DesiredState desired;
  std::string out;
  std::string err;
  std::atomic<bool> stop{false};

  Shop() {
    workspace.files["run-config.yaml"] = std::string(kTwoServices);
    workspace.fake_engine->observed_fixture = std::string(kWebRunning);
    Result<LoadedEnvironment> loaded = load_environment(workspace, *workspace.target());
    REQUIRE(loaded);
    desired = loaded->desired;
  }

  Result<int> exec(ExecRequest request) {
    return exec_in_service(
        *workspace.fake_engine, desired, request,
        [this](docker::LogStream stream, std::string_view bytes) {
          (stream == docker::LogStream::kStderr ? err : out).append(bytes);
        },
        stop);
  }
};

/// A console that types `input` piece by piece, then ends its input (or, `input_ends` false,
/// waits as a terminal nobody types at does), reports `resize` once, and keeps the output.
struct ScriptedConsole final : ExecConsole {
  std::deque<std::string> input;
  bool input_ends = true;
  std::optional<docker::TerminalSize> resize;
  std::string out;
  int reads = 0;

  std::optional<std::string> read_input(std::chrono::milliseconds wait) override {
    ++reads;
    if (!input.empty()) {
      std::string piece = input.front();
      input.pop_front();
      return piece;
    }
    if (input_ends) return std::nullopt;
    std::this_thread::sleep_for(wait);
    return std::string();
  }
  void write_output(docker::LogStream, std::string_view bytes) override { out.append(bytes); }
  std::optional<docker::TerminalSize> take_resize() override { return std::exchange(resize, {}); }
};

std::string first_error(const Diagnostics& errors) {
  return errors.front().message + (errors.front().hint.empty() ? "" : " / " + errors.front().hint);
}

std::string frame(int stream, std::string_view payload) {
  std::string header(8, '\0');
  header[0] = static_cast<char>(stream);
  header[6] = static_cast<char>((payload.size() >> 8) & 0xff);
  header[7] = static_cast<char>(payload.size() & 0xff);
  return header + std::string(payload);
}

}  // namespace

TEST_CASE("exec: the lowest-numbered running replica by default; output and exit code passed") {
  Shop shop;
  shop.workspace.fake_engine->exec_answers["id-shop-dev-web-2"] = {
      {{docker::LogStream::kStdout, "out\n"}, {docker::LogStream::kStderr, "err"}}, 3};
  Result<int> code = shop.exec({"web", std::nullopt, {"sh", "-c", "exit 3"}});
  REQUIRE(code);
  CHECK(*code == 3);
  CHECK(shop.out == "out\n");
  CHECK(shop.err == "err");
  REQUIRE(shop.workspace.fake_engine->execs.size() == 1);
  CHECK(shop.workspace.fake_engine->execs[0].second ==
        std::vector<std::string>{"sh", "-c", "exit 3"});
}

TEST_CASE("exec: --replica chooses the replica") {
  Shop shop;
  shop.workspace.fake_engine->exec_answers["id-shop-dev-web-3"] = {{}, 0};
  Result<int> code = shop.exec({"web", 3, {"true"}});
  REQUIRE(code);
  CHECK(*code == 0);
  CHECK(shop.workspace.fake_engine->execs[0].first == "id-shop-dev-web-3");
}

TEST_CASE("exec: errors name the service, the replica, or the missing command") {
  Shop shop;
  Result<int> unknown = shop.exec({"wbe", std::nullopt, {"true"}});
  REQUIRE(!unknown);
  CHECK(first_error(unknown.errors()).find("no service 'wbe' in shop/dev") == 0);
  CHECK(first_error(unknown.errors()).find("'web'") != std::string::npos);
  Result<int> stopped = shop.exec({"worker", std::nullopt, {"true"}});
  REQUIRE(!stopped);
  CHECK(stopped.errors().front().message == "service 'worker' has no running replica in shop/dev");
  Result<int> exited = shop.exec({"web", 1, {"true"}});
  REQUIRE(!exited);
  CHECK(first_error(exited.errors()) ==
        "replica 1 of service 'web' is not running in shop/dev / running replicas: 2, 3");
  Result<int> absent = shop.exec({"web", 7, {"true"}});
  REQUIRE(!absent);
  CHECK(absent.errors().front().message == "service 'web' has no replica 7 in shop/dev");
  Result<int> empty = shop.exec({"web", std::nullopt, {}});
  REQUIRE(!empty);
  CHECK(empty.errors().front().hint.find("give the command after --") == 0);
  CHECK(shop.workspace.fake_engine->execs.empty());
}

TEST_CASE("exec frames: payloads kept byte for byte, split anywhere, streams apart") {
  std::string stream = frame(1, "line\r\nno end") + frame(2, "err\n") + frame(1, "\n\n");
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    docker::FrameDemultiplexer demultiplexer;
    std::string out;
    std::string err;
    for (std::string_view piece :
         {std::string_view(stream).substr(0, cut), std::string_view(stream).substr(cut)}) {
      Result<std::vector<docker::OutputChunk>> chunks = demultiplexer.feed(piece);
      REQUIRE(chunks);
      for (const docker::OutputChunk& chunk : *chunks)
        (chunk.stream == docker::LogStream::kStderr ? err : out) += chunk.bytes;
    }
    CHECK(out == "line\r\nno end\n\n");
    CHECK(err == "err\n");
  }
}

TEST_CASE("exec frames: a malformed header or the daemon's error is an error, and stays one") {
  docker::FrameDemultiplexer bad;
  CHECK(!bad.feed(std::string("\x05\0\0\0\0\0\0\x01x", 9)));
  CHECK(!bad.feed(frame(1, "ok")));
  docker::FrameDemultiplexer daemon;
  Result<std::vector<docker::OutputChunk>> failed = daemon.feed(frame(3, "boom"));
  REQUIRE(!failed);
  CHECK(failed.errors().front().message.find("boom") != std::string::npos);
}

TEST_CASE("exec -it: input reaches the command, output the console, resizes the TTY; its code") {
  Shop shop;
  test::FakeEngine& engine = *shop.workspace.fake_engine;
  engine.session_greeting = "$ ";
  engine.session_exit_code = 3;
  ScriptedConsole console;
  console.input = {"echo hi\r", "exit 3\r"};
  console.resize = docker::TerminalSize{40, 120};
  ExecAttachment attachment{docker::ExecInput::kAttached, docker::ExecTty::kAllocated,
                            docker::TerminalSize{30, 100}};
  Result<int> code = exec_interactive_in_service(engine, shop.desired, {"web", 3, {"sh"}},
                                                 attachment, console, shop.stop);
  REQUIRE(code);
  CHECK(*code == 3);
  CHECK(console.out == "$ echo hi\rexit 3\r");
  CHECK(engine.session_log->input == "echo hi\rexit 3\r");
  CHECK(engine.session_log->input_closed);  // the console's input ended: so did the command's
  CHECK(engine.session_log->resizes == std::vector<docker::TerminalSize>{{40, 120}});
  REQUIRE(engine.sessions.size() == 1);
  CHECK(engine.sessions[0].first == "id-shop-dev-web-3");
  CHECK(engine.sessions[0].second.command == std::vector<std::string>{"sh"});
  CHECK(engine.sessions[0].second.tty == docker::ExecTty::kAllocated);
  CHECK(engine.sessions[0].second.size == docker::TerminalSize{30, 100});
}

TEST_CASE("exec -t without -i: no input is read, the command's end ends the session") {
  Shop shop;
  test::FakeEngine& engine = *shop.workspace.fake_engine;
  engine.session_greeting = "done\r\n";
  engine.session_ends_by_itself = true;
  ScriptedConsole console;
  console.input = {"never sent"};
  ExecAttachment attachment{docker::ExecInput::kNone, docker::ExecTty::kAllocated, std::nullopt};
  Result<int> code = exec_interactive_in_service(
      engine, shop.desired, {"web", std::nullopt, {"ls"}}, attachment, console, shop.stop);
  REQUIRE(code);
  CHECK(*code == 0);
  CHECK(console.out == "done\r\n");
  CHECK(console.reads == 0);
  CHECK(engine.session_log->input.empty());
  CHECK(engine.sessions[0].second.input == docker::ExecInput::kNone);
}

TEST_CASE("exec -it: a stop ends the session with 130 while the command still runs") {
  Shop shop;
  test::FakeEngine& engine = *shop.workspace.fake_engine;
  ScriptedConsole console;
  console.input_ends = false;  // a terminal nobody types at: the command never ends by itself
  ExecAttachment attachment{docker::ExecInput::kAttached, docker::ExecTty::kAllocated,
                            std::nullopt};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    shop.stop = true;
  });
  Result<int> code = exec_interactive_in_service(
      engine, shop.desired, {"web", std::nullopt, {"sh"}}, attachment, console, shop.stop);
  stopper.join();
  REQUIRE(code);
  CHECK(*code == docker::kInterruptedExitCode);
  CHECK(!engine.session_log->input_closed);
}

TEST_CASE("exec -i: the target's errors come before any session starts") {
  Shop shop;
  ScriptedConsole console;
  Result<int> unknown =
      exec_interactive_in_service(*shop.workspace.fake_engine, shop.desired,
                                  {"wbe", std::nullopt, {"cat"}}, {}, console, shop.stop);
  REQUIRE(!unknown);
  CHECK(unknown.errors().front().message.find("no service 'wbe' in shop/dev") == 0);
  CHECK(shop.workspace.fake_engine->sessions.empty());
  CHECK(console.reads == 0);
}

}  // namespace run::app
