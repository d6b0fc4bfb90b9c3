#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "reconcile/notifier.h"

// The webhook: the body it posts, and a sender that never blocks or breaks the loop, tested
// against a receiver on the loopback interface.

namespace run::reconcile {

namespace {

using namespace std::chrono_literals;

NotifyEvent sample_event() {
  NotifyEvent event;
  event.kind = NotifyKind::kApplySucceeded;
  event.project = "tsp";
  event.environment = "production";
  event.run_id = "0123456789abcdef";
  event.reconcile_id = "7";
  event.tick.result = TickResult::kSuccess;
  event.tick.finished_at = "2026-11-29T07:30:00Z";
  event.tick.commit = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  event.tick.plan_summary = "1 to add, 1 to change, 0 to destroy";
  event.tick.applied = true;
  event.tick.actions_done = {{"create", 2}, {"replace", 1}};
  event.tick.drift = {"container tsp-production-app-1: not running (start)"};
  event.tick.record_number = 12;
  return event;
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str(), text.size());
  REQUIRE_FALSE(document.HasParseError());
  REQUIRE(document.IsObject());
  return document;
}

std::string string_at(const rapidjson::Value& object, const char* key) {
  REQUIRE(object.HasMember(key));
  REQUIRE(object[key].IsString());
  return {object[key].GetString(), object[key].GetStringLength()};
}

/// An HTTP server on 127.0.0.1 (a port of its own) that answers every POST with `status` and
/// keeps the bodies it received.
class Receiver {
 public:
  explicit Receiver(int status = 204) : status_(status) {
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      {
        std::unique_lock lock(mutex_);
        bodies_.push_back(request.body);
        content_types_.push_back(request.get_header_value("Content-Type"));
        arrived_.notify_all();
        released_.wait(lock, [this] { return !holding_; });
      }
      response.status = status_;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    release();
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::string url(std::string_view path_and_query = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path_and_query);
  }

  /// Makes every request wait until release(): a receiver that is slow to answer.
  void hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    holding_ = false;
    released_.notify_all();
  }

  /// Waits (up to 5 s) until `count` bodies have arrived; returns them.
  std::vector<std::string> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    arrived_.wait_for(lock, 5s, [&] { return bodies_.size() >= count; });
    return bodies_;
  }
  std::vector<std::string> content_types() {
    std::lock_guard lock(mutex_);
    return content_types_;
  }

 private:
  int status_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::condition_variable released_;
  bool holding_ = false;
  std::vector<std::string> bodies_;
  std::vector<std::string> content_types_;
};

/// A loopback port nothing listens on: bound once to learn a free number, then closed.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

/// Keeps what is logged while it lives, in place of the default logger.
class CapturedLogs {
 public:
  CapturedLogs() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    sink->set_pattern("%l: %v");
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLogs() { spdlog::set_default_logger(previous_); }
  std::string text() {
    spdlog::default_logger()->flush();
    return stream_.str();
  }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream stream_;
};

std::size_t count_of(const std::string& text, std::string_view what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size()))
    ++count;
  return count;
}

template <typename Body>
std::chrono::milliseconds time_of(Body&& body) {
  auto start = std::chrono::steady_clock::now();
  body();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

}  // namespace

TEST_CASE("notifier: the JSON body carries the event, the tick's outcome and its context") {
  rapidjson::Document body = parse(notification_json(sample_event()));
  std::vector<std::string> keys;
  for (const auto& member : body.GetObject()) keys.emplace_back(member.name.GetString());
  CHECK(keys == std::vector<std::string>{"event", "project", "environment", "time", "run_id",
                                         "reconcile_id", "commit", "record", "summary", "actions",
                                         "drift", "error"});
  CHECK(string_at(body, "event") == "apply_succeeded");
  CHECK(string_at(body, "project") == "tsp");
  CHECK(string_at(body, "environment") == "production");
  CHECK(string_at(body, "time") == "2026-11-29T07:30:00Z");
  CHECK(string_at(body, "run_id") == "0123456789abcdef");
  CHECK(string_at(body, "reconcile_id") == "7");
  CHECK(string_at(body, "commit") == "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  CHECK(body["record"].GetInt() == 12);
  CHECK(string_at(body, "summary") == "1 to add, 1 to change, 0 to destroy");
  CHECK(body["actions"]["create"].GetInt() == 2);
  CHECK(body["actions"]["replace"].GetInt() == 1);
  REQUIRE(body["drift"].Size() == 1);
  CHECK(std::string(body["drift"][0].GetString()) ==
        "container tsp-production-app-1: not running (start)");
  CHECK(body["error"].IsNull());
}

TEST_CASE("notifier: no record, no commit and a failure give null, null and the error") {
  NotifyEvent event = sample_event();
  event.kind = NotifyKind::kApplyFailed;
  event.tick.result = TickResult::kFailure;
  event.tick.record_number.reset();
  event.tick.commit.clear();
  event.tick.actions_done.clear();
  event.tick.drift.clear();
  event.tick.error = "apply: create tsp-production-app-1 failed";
  rapidjson::Document body = parse(notification_json(event));
  CHECK(string_at(body, "event") == "apply_failed");
  CHECK(body["record"].IsNull());
  CHECK(body["commit"].IsNull());
  CHECK(body["actions"].IsObject());
  CHECK(body["actions"].MemberCount() == 0);
  CHECK(body["drift"].IsArray());
  CHECK(body["drift"].Empty());
  CHECK(string_at(body, "error") == "apply: create tsp-production-app-1 failed");
  event.kind = NotifyKind::kDriftDetected;
  CHECK(string_at(parse(notification_json(event)), "event") == "drift_detected");
}

TEST_CASE("notifier: hostile text in any field stays inside its JSON string") {
  NotifyEvent event = sample_event();
  std::string hostile = "\"}, \"event\": \"pwned\\\n\t\x01 end";
  event.project = hostile;
  event.tick.error = "bad bytes: \xC0\xAF and \xFF";
  event.tick.drift = {hostile};
  event.tick.actions_done = {{hostile, 3}};
  rapidjson::Document body = parse(notification_json(event));
  CHECK(string_at(body, "event") == "apply_succeeded");
  CHECK(string_at(body, "project") == hostile);
  CHECK(std::string(body["drift"][0].GetString()) == hostile);
  CHECK(body["actions"][hostile.c_str()].GetInt() == 3);
  CHECK(string_at(body, "error") == "bad bytes: \xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD");
}

TEST_CASE("notifier: a posted event arrives at the receiver as a JSON POST") {
  Receiver receiver;
  {
    WebhookNotifier notifier(receiver.url("/hook?token=s3cret"));
    notifier.post(sample_event());
    NotifyEvent second = sample_event();
    second.kind = NotifyKind::kDriftDetected;
    notifier.post(second);
    std::vector<std::string> bodies = receiver.wait_for(2);
    REQUIRE(bodies.size() == 2);
    CHECK(string_at(parse(bodies[0]), "event") == "apply_succeeded");
    CHECK(string_at(parse(bodies[1]), "event") == "drift_detected");
    CHECK(bodies[0] == notification_json(sample_event()));
  }
  CHECK(receiver.content_types() ==
        std::vector<std::string>{"application/json", "application/json"});
}

TEST_CASE("notifier: the destructor sends what is still queued") {
  Receiver receiver;
  {
    WebhookNotifier notifier(receiver.url());
    for (int i = 0; i < 5; ++i) notifier.post(sample_event());
  }
  CHECK(receiver.wait_for(5).size() == 5);
}

TEST_CASE(
    "notifier: a receiver answering 500 is logged without the URL's token, and nothing throws") {
  Receiver receiver(500);
  CapturedLogs logs;
  auto elapsed = time_of([&] {
    WebhookNotifier notifier("http://user:pa55@127.0.0.1:" + std::to_string(receiver.port()) +
                             "/hooks/run?token=s3cret#frag");
    notifier.post(sample_event());
    CHECK(receiver.wait_for(1).size() == 1);
  });
  CHECK(elapsed < 5s);
  std::string text = logs.text();
  CHECK(text.find("warning: webhook " + receiver.url("/hooks/run") +
                  ": the receiver answered HTTP 500") != std::string::npos);
  CHECK(text.find("s3cret") == std::string::npos);
  CHECK(text.find("pa55") == std::string::npos);
  CHECK(text.find("frag") == std::string::npos);
}

TEST_CASE(
    "notifier: an unreachable receiver is logged, never thrown, and does not hold up the "
    "destructor") {
  CapturedLogs logs;
  std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/hook?key=s3cret";
  auto elapsed = time_of([&] {
    WebhookNotifier notifier(url);
    for (int i = 0; i < 3; ++i) notifier.post(sample_event());
  });
  CHECK(elapsed < 5s);
  std::string text = logs.text();
  CHECK(count_of(text, "warning: webhook http://127.0.0.1:") == 3);
  CHECK(text.find("s3cret") == std::string::npos);
  CHECK(text.find("/hook:") != std::string::npos);
}

TEST_CASE(
    "notifier: behind a slow receiver the queue keeps the newest 100 events and warns for each "
    "dropped") {
  Receiver receiver;
  receiver.hold();
  CapturedLogs logs;
  {
    WebhookNotifier notifier(receiver.url());
    NotifyEvent first = sample_event();
    first.reconcile_id = "first";
    notifier.post(first);
    REQUIRE(receiver.wait_for(1).size() == 1);  // in flight: the queue is empty again
    for (int i = 0; i < 150; ++i) {
      NotifyEvent event = sample_event();
      event.reconcile_id = std::to_string(i);
      notifier.post(event);
    }
    receiver.release();
  }
  std::vector<std::string> bodies = receiver.wait_for(101);
  REQUIRE(bodies.size() == 101);
  CHECK(string_at(parse(bodies[0]), "reconcile_id") == "first");
  CHECK(string_at(parse(bodies[1]), "reconcile_id") == "50");
  CHECK(string_at(parse(bodies[100]), "reconcile_id") == "149");
  CHECK(count_of(logs.text(), "100 notifications are waiting: the oldest was dropped") == 50);
}

}  // namespace run::reconcile
