#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "net/http_server.h"

// The server from a raw socket: what an ordinary client library would never send (pipelined
// requests, garbage, an oversized body) and the connection's end.

namespace run::net {

namespace {

using namespace std::chrono_literals;

/// The limits of the tests' server: small, so that each limit is reached quickly.
ServerLimits test_limits() {
  ServerLimits limits;
  limits.keep_alive_max = 3;
  limits.max_body = 10;
  limits.keep_alive_timeout = 2s;
  return limits;
}

struct Served {
  HttpServer server;
  int port = 0;
  explicit Served(ServerLimits limits = test_limits())
      : server(
            [](const Request& request) {
              return ServerResponse{
                  200, {{"Content-Type", "text/plain"}}, request.method + " " + request.path};
            },
            limits) {
    int error = 0;
    port = server.bind("127.0.0.1", 0, error);
    REQUIRE(port > 0);
    server.start();
  }
};

/// A new connection to the server on 127.0.0.1:`port`.
int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

/// Sends `bytes` on a new connection and reads until the server closes it (or 3 s pass).
std::string exchange_until_close(int port, const std::string& bytes) {
  int fd = connect_to(port);
  timeval timeout{3, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string received;
  char buffer[4096];
  for (ssize_t count; (count = recv(fd, buffer, sizeof buffer, 0)) > 0;)
    received.append(buffer, static_cast<std::size_t>(count));
  close(fd);
  return received;
}

/// Whether the server closed `fd` (its end of the stream arrived) within `limit`.
bool closed_by_server(int fd, std::chrono::milliseconds limit) {
  pollfd wanted{fd, POLLIN, 0};
  if (poll(&wanted, 1, static_cast<int>(limit.count())) <= 0) return false;
  char byte;
  return recv(fd, &byte, 1, MSG_DONTWAIT) == 0;
}

/// The time a one-request connection takes to be answered, and the answer.
struct TimedAnswer {
  std::string received;
  std::chrono::steady_clock::duration took;
};

TimedAnswer timed_get(int port, const std::string& path) {
  auto started = std::chrono::steady_clock::now();
  std::string received =
      exchange_until_close(port, "GET " + path + " HTTP/1.1\r\nConnection: close\r\n\r\n");
  return {received, std::chrono::steady_clock::now() - started};
}

int count_of(const std::string& text, const std::string& part) {
  int count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++count;
  return count;
}

}  // namespace

TEST_CASE("pipelined requests are answered in order, up to the keep-alive limit, then closed") {
  Served served;
  std::string request =
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c "
      "HTTP/1.1\r\nHost: x\r\n\r\nGET /d HTTP/1.1\r\n\r\n";
  std::string received = exchange_until_close(served.port, request);
  CHECK(count_of(received, "HTTP/1.1 200 OK") == 3);
  CHECK(received.find("GET /a") != std::string::npos);
  CHECK(received.find("HEAD /b") == std::string::npos);  // HEAD: the length, no body
  CHECK(received.find("Content-Length: 7\r\n") != std::string::npos);
  CHECK(received.find("GET /c") != std::string::npos);
  CHECK(received.find("GET /d") == std::string::npos);  // past keep_alive_max
  CHECK(count_of(received, "Connection: close") == 1);
}

TEST_CASE("garbage gets 400 and a body over the limit 413, and the connection ends") {
  Served served;
  std::string garbage = exchange_until_close(served.port, "hello server\r\n\r\n");
  CHECK(garbage.starts_with("HTTP/1.1 400 Bad Request\r\n"));
  CHECK(garbage.find("Connection: close") != std::string::npos);
  std::string large =
      exchange_until_close(served.port, "POST /a HTTP/1.1\r\nContent-Length: 11\r\n\r\n");
  CHECK(large.starts_with("HTTP/1.1 413 Content Too Large\r\n"));
}

TEST_CASE(
    "Connection: close is honoured, and an idle connection is closed after the keep-alive "
    "timeout") {
  Served served;
  std::string closed =
      exchange_until_close(served.port, "GET /a HTTP/1.1\r\nConnection: close\r\n\r\n");
  CHECK(count_of(closed, "HTTP/1.1 200 OK") == 1);
  auto started = std::chrono::steady_clock::now();
  std::string idle = exchange_until_close(served.port, "");
  auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(idle.empty());
  CHECK(elapsed >= 1900ms);
  CHECK(elapsed < 3s);
}

TEST_CASE("stop ends the connections being served at once") {
  auto served = std::make_unique<Served>();
  int fd = connect_to(served->port);
  std::this_thread::sleep_for(50ms);  // a worker now waits on this idle connection
  auto started = std::chrono::steady_clock::now();
  served->server.stop();
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  close(fd);
}

TEST_CASE(
    "clients sending a byte every half second hold no worker, and each is closed read_timeout "
    "after its first byte") {
  ServerLimits limits = test_limits();
  limits.workers = 2;
  limits.read_timeout = 2s;
  Served served(limits);
  // Twice as many slow clients as workers: with a worker each, the normal request would wait
  // for them all.
  std::vector<int> slow;
  for (std::size_t i = 0; i < 2 * limits.workers; ++i) slow.push_back(connect_to(served.port));
  const std::string head = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";  // 15 s at this pace
  std::vector<std::chrono::steady_clock::duration> closed_after(slow.size());
  auto first_byte = std::chrono::steady_clock::now();
  std::thread drip([&] {
    std::vector<bool> closed(slow.size(), false);
    for (std::size_t at = 0; at < head.size(); ++at) {
      for (std::size_t i = 0; i < slow.size(); ++i)
        if (!closed[i]) send(slow[i], &head[at], 1, MSG_NOSIGNAL);
      for (std::size_t i = 0; i < slow.size(); ++i) {
        if (closed[i] || !closed_by_server(slow[i], 0ms)) continue;
        closed[i] = true;
        closed_after[i] = std::chrono::steady_clock::now() - first_byte;
      }
      if (std::find(closed.begin(), closed.end(), false) == closed.end()) return;
      std::this_thread::sleep_for(500ms);
    }
  });
  std::this_thread::sleep_for(700ms);  // every slow client has sent a byte or two
  TimedAnswer normal = timed_get(served.port, "/normal");
  CHECK(normal.received.starts_with("HTTP/1.1 200 OK"));
  CHECK(normal.took < 1s);
  drip.join();
  for (auto after : closed_after) {
    CHECK(after >= limits.read_timeout - 100ms);
    CHECK(after < limits.read_timeout + 1s);
  }
  for (int fd : slow) close(fd);
}

TEST_CASE("idle connections beyond the workers and the queue do not keep a new client waiting") {
  Served served;
  std::vector<int> idle;
  for (int i = 0; i < 100; ++i) idle.push_back(connect_to(served.port));
  std::this_thread::sleep_for(100ms);  // the server has accepted them all
  TimedAnswer fresh = timed_get(served.port, "/fresh");
  CHECK(fresh.received.starts_with("HTTP/1.1 200 OK"));
  CHECK(fresh.took < 1s);
  for (int fd : idle) close(fd);
}

TEST_CASE("at the connection cap, a new client closes the connection idle the longest") {
  ServerLimits limits = test_limits();
  limits.max_connections = 3;
  Served served(limits);
  int answered_first = connect_to(served.port);
  std::this_thread::sleep_for(50ms);
  int idle_longest = connect_to(served.port);
  std::this_thread::sleep_for(50ms);
  // The first is idle again only since its answer: later than the second.
  std::string request = "GET /a HTTP/1.1\r\n\r\n";
  send(answered_first, request.data(), request.size(), MSG_NOSIGNAL);
  char buffer[4096];
  CHECK(recv(answered_first, buffer, sizeof buffer, 0) > 0);
  int idle_newest = connect_to(served.port);
  std::this_thread::sleep_for(50ms);
  TimedAnswer fresh = timed_get(served.port, "/fresh");
  CHECK(fresh.received.starts_with("HTTP/1.1 200 OK"));
  CHECK(closed_by_server(idle_longest, 1s));
  CHECK_FALSE(closed_by_server(answered_first, 0ms));
  CHECK_FALSE(closed_by_server(idle_newest, 0ms));
  for (int fd : {answered_first, idle_longest, idle_newest}) close(fd);
}

}  // namespace run::net
