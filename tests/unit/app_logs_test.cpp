#include <doctest/doctest.h>

#include <mutex>

#include "app/container_logs.h"
#include "app/environment_plan.h"
#include "app_fakes.h"

// run logs' use case through the fake engine: which containers, lines merged by time, errors.

namespace run::app {

namespace {

constexpr std::string_view kTwoServices =
    "version: \"2\"\n"
    "project: shop\n"
    "default_environment: dev\n"
    "services:\n"
    "  web:\n"
    "    image: busybox:web\n"
    "    replicas: 2\n"
    "  worker:\n"
    "    image: busybox:web\n"
    "environments:\n"
    "  dev: {}\n";

/// web's two replicas run; worker has no container.
constexpr std::string_view kWebOnly =
    R"({"images": {"busybox:web": "sha256:w1"}, "networks": ["shop-dev"], "volumes": [],
        "containers": [{"service": "web", "replica": 2}, {"service": "web", "replica": 1}]})";

docker::LogLine at(std::int64_t time_ns, std::string text,
                   docker::LogStream stream = docker::LogStream::kStdout) {
  return docker::LogLine{stream, "t" + std::to_string(time_ns), time_ns, std::move(text)};
}

struct Shop {
  test::FakeWorkspace workspace;
  model::DesiredState desired;

  Shop() {
    workspace.files["run-config.yaml"] = std::string(kTwoServices);
    workspace.fake_engine->observed_fixture = std::string(kWebOnly);
    workspace.fake_engine->logs["id-shop-dev-web-1"] = {at(1, "a1"), at(3, "a3"), at(5, "a5")};
    workspace.fake_engine->logs["id-shop-dev-web-2"] = {
        at(2, "b2"), at(3, "b3", docker::LogStream::kStderr), at(9, "b9")};
    Result<LoadedEnvironment> loaded = load_environment(workspace, *workspace.target());
    REQUIRE(loaded);
    desired = loaded->desired;
  }
};

std::string joined(const std::vector<ReplicaLine>& lines) {
  std::string text;
  for (const ReplicaLine& line : lines)
    text += line.source.service_name + "-" + std::to_string(line.source.replica) + " " +
            line.line.text + "\n";
  return text;
}

std::string first_error(const Diagnostics& errors) {
  return errors.front().message + (errors.front().hint.empty() ? "" : " / " + errors.front().hint);
}

}  // namespace

TEST_CASE("logs: the lines of every replica are interleaved by time, ties in replica order") {
  Shop shop;
  Result<ReadLogs> read = read_logs(*shop.workspace.fake_engine, shop.desired, {{"web"}, {}});
  REQUIRE(read);
  REQUIRE(read->sources.size() == 2);
  CHECK(read->sources[0] == LogSource{"web", 1, "id-shop-dev-web-1"});
  CHECK(joined(read->lines) == "web-1 a1\nweb-2 b2\nweb-1 a3\nweb-2 b3\nweb-1 a5\nweb-2 b9\n");
  CHECK(read->lines[3].line.stream == docker::LogStream::kStderr);
}

TEST_CASE("logs: with no service named, every service that has containers; tail per container") {
  Shop shop;
  LogsRequest request;
  request.lines.tail = 1;
  Result<ReadLogs> read = read_logs(*shop.workspace.fake_engine, shop.desired, request);
  REQUIRE(read);
  CHECK(joined(read->lines) == "web-1 a5\nweb-2 b9\n");
  for (const auto& [container_id, asked] : shop.workspace.fake_engine->log_requests)
    CHECK(asked.tail == 1);
}

TEST_CASE("logs: an unknown service is an error that suggests the closest name") {
  Shop shop;
  Result<ReadLogs> read = read_logs(*shop.workspace.fake_engine, shop.desired, {{"wbe"}, {}});
  REQUIRE_FALSE(read);
  CHECK(first_error(read.errors()) == "no service 'wbe' in shop/dev / did you mean 'web'?");
  CHECK(shop.workspace.fake_engine->log_requests.empty());
}

TEST_CASE("logs: a service without a container says to apply first") {
  Shop shop;
  Result<ReadLogs> read =
      read_logs(*shop.workspace.fake_engine, shop.desired, {{"web", "worker"}, {}});
  REQUIRE_FALSE(read);
  CHECK(first_error(read.errors()) ==
        "service 'worker' has no container in shop/dev: run apply first");
}

TEST_CASE("logs: an environment with no container at all says to apply first") {
  Shop shop;
  shop.workspace.fake_engine->observed_fixture = std::string(test::kShopEmpty);
  Result<ReadLogs> read = read_logs(*shop.workspace.fake_engine, shop.desired, {});
  REQUIRE_FALSE(read);
  CHECK(first_error(read.errors()) == "no service has a container in shop/dev: run apply first");
}

TEST_CASE("logs: an engine's error names the replica") {
  Shop shop;
  shop.workspace.fake_engine->logs.erase("id-shop-dev-web-2");
  Result<ReadLogs> read = read_logs(*shop.workspace.fake_engine, shop.desired, {});
  REQUIRE_FALSE(read);
  CHECK(first_error(read.errors()) == "logs of web-2: no such container: id-shop-dev-web-2");
}

namespace {

/// web-1 and web-2, and a new container of web (a rollout's replacement of web-2).
constexpr std::string_view kWebReplaced =
    R"({"images": {"busybox:web": "sha256:w1"}, "networks": ["shop-dev"], "volumes": [],
        "containers": [{"service": "web", "replica": 1}, {"service": "web", "replica": 2},
                       {"service": "web", "replica": 2, "name": "shop-dev-web-2b", "id": "id-new"}]})";

/// Records what it is shown and stops the follow once it has seen `enough` lines. Once web-2
/// is followed, the engine's next snapshots hold a new container (following() is called on
/// the thread that observes, so changing the fixture there races with nothing).
class RolloutView final : public LogsView {
 public:
  RolloutView(test::FakeEngine& engine, std::atomic<bool>& stop, std::size_t enough)
      : engine_(engine), stop_(stop), enough_(enough) {}
  void following(const LogSource& source) override {
    followed.push_back(source.container_id);
    if (source.container_id == "id-shop-dev-web-2")
      engine_.observed_fixture = std::string(kWebReplaced);
  }
  void line(const ReplicaLine& line) override {
    lines.push_back(line.source.container_id + " " + line.line.text);
    if (lines.size() >= enough_) stop_ = true;
  }
  void follow_failed(const LogSource&, const Diagnostics& errors) override {
    failures.push_back(errors.front().message);
  }
  std::vector<std::string> followed, lines, failures;

 private:
  test::FakeEngine& engine_;
  std::atomic<bool>& stop_;
  std::size_t enough_;
};

}  // namespace

TEST_CASE("logs: following passes every replica's lines and picks up a new container") {
  Shop shop;
  test::FakeEngine& engine = *shop.workspace.fake_engine;
  engine.logs["id-new"] = {at(20, "fresh")};
  std::atomic<bool> stop{false};
  RolloutView view(engine, stop, 5);
  LogsRequest request{{"web"}, {}};
  request.lines.tail = 2;
  Status followed =
      follow_logs(engine, shop.desired, request, view, stop, std::chrono::milliseconds(10));
  REQUIRE(followed);
  CHECK(view.followed ==
        std::vector<std::string>{"id-shop-dev-web-1", "id-shop-dev-web-2", "id-new"});
  CHECK(view.lines.size() == 5);  // two of each replica's past, and all of the new one's
  CHECK(std::count(view.lines.begin(), view.lines.end(), "id-new fresh") == 1);
  CHECK(view.failures.empty());
  for (const auto& [container_id, asked] : engine.log_requests)
    CHECK(asked.tail == (container_id == "id-new" ? std::nullopt : std::optional<int>(2)));
}

TEST_CASE("logs: --since is a duration back from now or an RFC 3339 time") {
  CHECK(*parse_since("10m", 1'000'000'000'000) == 1'000'000'000'000 - 600'000'000'000);
  CHECK(*parse_since("1970-01-01T00:00:02Z", 0) == 2'000'000'000);
  Result<std::int64_t> bad = parse_since("yesterday", 0);
  REQUIRE_FALSE(bad);
  CHECK(first_error(bad.errors()) ==
        "--since 'yesterday' is neither a duration nor an RFC 3339 time / write e.g. 10m, "
        "1h30m or 2024-05-01T10:00:00Z");
}

}  // namespace run::app
