#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "net/http_server.h"

// The server from a raw socket: what an ordinary client library would never send (pipelined
// requests, garbage, an oversized body) and the connection's end.

namespace run::net {

namespace {

using namespace std::chrono_literals;

struct Served {
  HttpServer server{[](const Request& request) {
                      return ServerResponse{200,
                                            {{"Content-Type", "text/plain"}},
                                            request.method + " " + request.path};
                    },
                    [] {
                      ServerLimits limits;
                      limits.keep_alive_max = 3;
                      limits.max_body = 10;
                      limits.keep_alive_timeout = 2s;
                      return limits;
                    }()};
  int port = 0;
  Served() {
    int error = 0;
    port = server.bind("127.0.0.1", 0, error);
    REQUIRE(port > 0);
    server.start();
  }
};

/// Sends `bytes` on a new connection and reads until the server closes it (or 3 s pass).
std::string exchange_until_close(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
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
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(served->port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  std::this_thread::sleep_for(50ms);  // a worker now waits on this idle connection
  auto started = std::chrono::steady_clock::now();
  served->server.stop();
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  close(fd);
}

}  // namespace run::net
