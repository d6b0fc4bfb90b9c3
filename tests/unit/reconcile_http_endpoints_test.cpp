// The loop's HTTP endpoints (reconcile/http_endpoints.h) over loopback with a real client, and
// readiness() (reconcile/loop_status.h), which /readyz serves.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

#include "reconcile/http_endpoints.h"
#include "reconcile/metrics.h"

namespace run::reconcile {

namespace {

LoopStatus status_with_interval(double interval_seconds) {
  LoopStatus status;
  status.project = "shop";
  status.environment = "dev";
  status.source = "origin/main";
  status.interval_seconds = interval_seconds;
  return status;
}

int port_of(const std::string& bound_address) {
  return std::stoi(bound_address.substr(bound_address.rfind(':') + 1));
}

/// A started server over a StatusBoard and Metrics the test changes, and a clock it sets.
struct Served {
  StatusBoard board{status_with_interval(60)};
  Metrics metrics{"1.2.3"};
  std::atomic<double> now{1000};
  HttpEndpoints endpoints;

  Served() {
    EndpointSources sources{[this] { return board.snapshot(); },
                            [this] { return metrics.prometheus_text(); },
                            [this] { return now.load(); }};
    Status started = endpoints.start("127.0.0.1:0", std::move(sources));
    REQUIRE(started.ok());
  }

  httplib::Client client() const {
    httplib::Client client("127.0.0.1", port_of(endpoints.bound_address()));
    client.set_connection_timeout(1, 0);
    client.set_read_timeout(1, 0);
    return client;
  }
};

std::string start_error(const std::string& listen) {
  HttpEndpoints endpoints;
  EndpointSources sources{[] { return LoopStatus{}; }, [] { return std::string(); },
                          [] { return 0.0; }};
  Status started = endpoints.start(listen, std::move(sources));
  if (started.ok()) return "started";
  return started.errors().front().message;
}

/// A TCP connection to `port` that sends nothing; closed when the value goes.
struct IdleConnection {
  int fd = -1;
  explicit IdleConnection(int port) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  }
  ~IdleConnection() { ::close(fd); }
  IdleConnection(const IdleConnection&) = delete;
  IdleConnection& operator=(const IdleConnection&) = delete;
};

}  // namespace

TEST_CASE("readiness: before any success it is not ready, and says why with the failures") {
  LoopStatus status = status_with_interval(60);
  CHECK_FALSE(readiness(status, 1000).ready);
  CHECK(readiness(status, 1000).reason == "no tick has succeeded yet");

  status.consecutive_failures = 2;
  status.last_tick = TickReport{};
  status.last_tick->result = TickResult::kFailure;
  status.last_tick->error = "fetch origin: connection refused";
  CHECK(readiness(status, 1000).reason ==
        "no tick has succeeded yet; 2 consecutive failures, last error: fetch origin: connection "
        "refused");
}

TEST_CASE("readiness: a success within 3 intervals is ready, an older one is not") {
  LoopStatus status = status_with_interval(60);
  status.last_success_unix = 1000;
  CHECK(readiness(status, 1012).ready);
  CHECK(readiness(status, 1012).reason == "last successful tick 12 s ago");
  CHECK(readiness(status, 1180).ready);  // exactly 3 intervals: still ready
  CHECK_FALSE(readiness(status, 1181).ready);
  CHECK(readiness(status, 1400).reason ==
        "last successful tick 400 s ago, more than 3 intervals (180 s)");

  status.consecutive_failures = 1;
  CHECK(readiness(status, 1012).ready);  // one failure after a recent success is no outage
  CHECK(readiness(status, 1012).reason == "last successful tick 12 s ago; 1 consecutive failure");
}

TEST_CASE("readiness: short intervals are given 30 s, and a clock stepped back reads as now") {
  LoopStatus status = status_with_interval(2);
  status.last_success_unix = 1000;
  CHECK(readiness(status, 1030).ready);
  CHECK_FALSE(readiness(status, 1031).ready);
  CHECK(readiness(status, 1031).reason == "last successful tick 31 s ago, more than 30 s");
  CHECK(readiness(status, 990).ready);
  CHECK(readiness(status, 990).reason == "last successful tick 0 s ago");
}

TEST_CASE("http endpoints: /healthz answers 200 ok, and HEAD works on every page") {
  Served served;
  httplib::Client client = served.client();
  httplib::Result health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body == "ok\n");

  for (const char* path : {"/healthz", "/readyz", "/metrics", "/"}) {
    CAPTURE(path);
    httplib::Result head = client.Head(path);
    REQUIRE(head);
    CHECK((head->status == 200 || head->status == 503));
    CHECK(head->body.empty());
  }
  httplib::Result head_page = client.Head("/");
  REQUIRE(head_page);
  CHECK(head_page->get_header_value("Content-Type") == "text/html; charset=utf-8");
}

TEST_CASE("http endpoints: /readyz is 503 until a tick succeeds, then 200") {
  Served served;
  httplib::Client client = served.client();
  httplib::Result before = client.Get("/readyz");
  REQUIRE(before);
  CHECK(before->status == 503);
  CHECK(before->body == "not ready: no tick has succeeded yet\n");

  served.board.update([](LoopStatus& status) { status.last_success_unix = 990; });
  httplib::Result after = client.Get("/readyz");
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->body == "ready: last successful tick 10 s ago\n");

  served.now = 2000;  // 1010 s later: more than 3 intervals of 60 s
  httplib::Result stale = client.Get("/readyz");
  REQUIRE(stale);
  CHECK(stale->status == 503);
}

TEST_CASE("http endpoints: /metrics serves the exposition text with its content type") {
  Served served;
  TickReport tick;
  tick.seconds = 0.5;
  served.metrics.record_tick(tick, 1000);
  httplib::Client client = served.client();
  httplib::Result metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(metrics->body == served.metrics.prometheus_text());
  CHECK(metrics->body.find("run_reconcile_total{result=\"success\"} 1\n") != std::string::npos);
}

TEST_CASE("http endpoints: / serves the status page with the ids tests look for") {
  Served served;
  httplib::Client client = served.client();
  httplib::Result page = client.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  for (const char* id :
       {"environment", "commit", "last-result", "plan-summary", "drift", "history"}) {
    CAPTURE(id);
    CHECK(page->body.find("id=\"" + std::string(id) + "\"") != std::string::npos);
  }
  CHECK(page->body.find("<title>run: shop/dev</title>") != std::string::npos);
}

TEST_CASE("http endpoints: an unknown path is 404, another method on a known path 405") {
  Served served;
  httplib::Client client = served.client();
  httplib::Result missing = client.Get("/nothing-here");
  REQUIRE(missing);
  CHECK(missing->status == 404);

  httplib::Result posted = client.Post("/metrics", "x=1", "text/plain");
  REQUIRE(posted);
  CHECK(posted->status == 405);
  CHECK(posted->get_header_value("Allow") == "GET, HEAD");

  httplib::Result deleted = client.Delete("/");
  REQUIRE(deleted);
  CHECK(deleted->status == 405);

  httplib::Result posted_elsewhere = client.Post("/elsewhere", "x=1", "text/plain");
  REQUIRE(posted_elsewhere);
  CHECK(posted_elsewhere->status == 404);

  // A method with no meaning here is still 405 on a known path.
  httplib::Request trace;
  trace.method = "TRACE";
  trace.path = "/healthz";
  httplib::Response traced;
  httplib::Error error = httplib::Error::Success;
  REQUIRE(client.send(trace, traced, error));
  CHECK(traced.status == 405);
}

TEST_CASE("http endpoints: idle connections that send nothing do not hold up /healthz") {
  Served served;
  int port = port_of(served.endpoints.bound_address());
  // One fewer than the workers: each idle connection holds one until its keep-alive timeout.
  IdleConnection first(port);
  IdleConnection second(port);
  IdleConnection third(port);
  auto started = std::chrono::steady_clock::now();
  httplib::Client client = served.client();
  httplib::Result health = client.Get("/healthz");
  auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(elapsed < std::chrono::seconds(1));
}

TEST_CASE("http endpoints: malformed listen addresses are refused with what is expected") {
  CHECK(start_error("nonsense") == "listen address 'nonsense' has no port");
  CHECK(start_error("127.0.0.1:99999") ==
        "listen address '127.0.0.1:99999' has no valid port (0 to 65535)");
  CHECK(start_error("127.0.0.1:") == "listen address '127.0.0.1:' has no valid port (0 to 65535)");
  CHECK(start_error("127.0.0.1:80x") ==
        "listen address '127.0.0.1:80x' has no valid port (0 to 65535)");
  CHECK(start_error("::1:9464") == "listen address '::1:9464' has an IPv6 host without brackets");
  CHECK(start_error("[]:9464") == "listen address '[]:9464' has an empty host");
}

TEST_CASE("http endpoints: a port already in use is an error naming the address") {
  Served served;
  std::string address = served.endpoints.bound_address();
  CHECK(start_error(address) == "cannot listen on " + address + ": the port is already in use");
}

TEST_CASE("http endpoints: ':PORT' listens on 127.0.0.1, and stop is idempotent") {
  HttpEndpoints endpoints;
  EndpointSources sources{[] { return LoopStatus{}; }, [] { return std::string(); },
                          [] { return 0.0; }};
  REQUIRE(endpoints.start(":0", std::move(sources)).ok());
  std::string address = endpoints.bound_address();
  CHECK(address.rfind("127.0.0.1:", 0) == 0);
  CHECK(port_of(address) > 0);
  endpoints.stop();
  endpoints.stop();
  httplib::Client client("127.0.0.1", port_of(address));
  client.set_connection_timeout(1, 0);
  CHECK_FALSE(client.Get("/healthz"));
}

TEST_CASE("http endpoints: an IPv6 address in brackets is bound and shown in brackets") {
  HttpEndpoints endpoints;
  EndpointSources sources{[] { return LoopStatus{}; }, [] { return std::string(); },
                          [] { return 0.0; }};
  Status started = endpoints.start("[::1]:0", std::move(sources));
  if (!started.ok()) {
    MESSAGE("no IPv6 loopback here: " << started.errors().front().message);
    return;
  }
  CHECK(endpoints.bound_address().rfind("[::1]:", 0) == 0);
}

}  // namespace run::reconcile
