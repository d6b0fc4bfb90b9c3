#include <doctest/doctest.h>

#include "app/container_exec.h"
#include "app/environment_plan.h"
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

}  // namespace run::app
