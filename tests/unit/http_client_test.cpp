#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

#include "net/http_client.h"

// The HTTP client against a scripted server on a unix socket: connections kept alive and
// reused, a connection the server closed while idle replaced without the caller seeing it,
// timeouts, and a stream that stops when asked.

namespace run::net {

namespace {

using namespace std::chrono_literals;

/// Reads one request's head and body (by Content-Length) from `fd`; false at the end.
bool read_request(int fd) {
  std::string bytes;
  char buffer[4096];
  while (bytes.find("\r\n\r\n") == std::string::npos) {
    ssize_t count = recv(fd, buffer, sizeof buffer, 0);
    if (count <= 0) return false;
    bytes.append(buffer, static_cast<std::size_t>(count));
  }
  std::size_t length_at = bytes.find("Content-Length: ");
  std::size_t length =
      length_at == std::string::npos ? 0 : std::stoul(bytes.substr(length_at + 16));
  while (bytes.size() < bytes.find("\r\n\r\n") + 4 + length) {
    ssize_t count = recv(fd, buffer, sizeof buffer, 0);
    if (count <= 0) return false;
    bytes.append(buffer, static_cast<std::size_t>(count));
  }
  return true;
}

/// A server on a unix socket that answers each connection with `serve(fd)`, one connection at
/// a time, and counts the connections it accepted.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(int)> serve) : serve_(std::move(serve)) {
    char name[] = "/tmp/run-http-client-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    directory_ = name;
    path_ = directory_ + "/s.sock";
    listener_ = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, path_.c_str());
    REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(listener_, 8) == 0);
    thread_ = std::thread([this] {
      while (true) {
        int fd = accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        ++accepted;
        serve_(fd);
        close(fd);
      }
    });
  }
  ~ScriptedServer() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
    std::remove(path_.c_str());
    rmdir(directory_.c_str());
  }
  Address address() const { return Address::unix_socket(path_); }
  std::atomic<int> accepted{0};

 private:
  std::function<void(int)> serve_;
  std::string directory_, path_;
  int listener_ = -1;
  std::thread thread_;
};

void send_text(int fd, const std::string& text) {
  CHECK(send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
}

const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

HttpAnswer answer_of(std::variant<HttpAnswer, NetError> outcome) {
  if (auto* error = std::get_if<NetError>(&outcome)) FAIL("no answer: " << error->detail);
  return std::get<HttpAnswer>(std::move(outcome));
}

}  // namespace

TEST_CASE("requests one after another share one kept-alive connection") {
  ScriptedServer server([](int fd) {
    while (read_request(fd)) send_text(fd, kOk);
  });
  HttpClient client(server.address(), 2s);
  for (int i = 0; i < 3; ++i) {
    HttpAnswer answer = answer_of(client.exchange({"POST", "/x", {}, "{\"n\":1}"}, 2s));
    CHECK(answer.head.status == 200);
    CHECK(answer.body == "ok");
  }
  CHECK(server.accepted == 1);
}

TEST_CASE("a connection the server closed while idle is replaced, unseen by the caller") {
  ScriptedServer server([](int fd) {
    if (read_request(fd)) send_text(fd, kOk);  // then closes, though it said nothing of it
  });
  HttpClient client(server.address(), 2s);
  CHECK(answer_of(client.exchange({"GET", "/a", {}, {}}, 2s)).body == "ok");
  std::this_thread::sleep_for(50ms);
  CHECK(answer_of(client.exchange({"GET", "/b", {}, {}}, 2s)).body == "ok");
  CHECK(server.accepted == 2);
}

TEST_CASE("a server that accepts and never answers is a timeout, within the timeout") {
  std::atomic<bool> release{false};
  ScriptedServer server([&](int fd) {
    read_request(fd);
    while (!release) std::this_thread::sleep_for(10ms);
  });
  HttpClient client(server.address(), 2s);
  auto started = std::chrono::steady_clock::now();
  std::variant<HttpAnswer, NetError> outcome = client.exchange({"GET", "/_ping", {}, {}}, 300ms);
  auto elapsed = std::chrono::steady_clock::now() - started;
  release = true;
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).kind == NetError::Kind::kTimeout);
  CHECK(elapsed >= 300ms);
  CHECK(elapsed < 2s);
}

TEST_CASE("no socket is a connect error that says why") {
  HttpClient client(Address::unix_socket("/tmp/run-no-such-dir/none.sock"), 1s);
  std::variant<HttpAnswer, NetError> outcome = client.exchange({"GET", "/_ping", {}, {}}, 1s);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).kind == NetError::Kind::kConnect);
  CHECK(std::get<NetError>(outcome).detail == "No such file or directory");
}

TEST_CASE("an answer that is not HTTP is an error, not a status") {
  ScriptedServer server([](int fd) {
    if (read_request(fd)) send_text(fd, "hello, I am not a web server\r\n\r\n");
  });
  HttpClient client(server.address(), 2s);
  std::variant<HttpAnswer, NetError> outcome = client.exchange({"GET", "/", {}, {}}, 2s);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).detail.find("not valid HTTP") != std::string::npos);
}

TEST_CASE("a stream passes the body on as it comes and stops when asked") {
  std::atomic<bool> stop{false};
  ScriptedServer server([&](int fd) {
    if (!read_request(fd)) return;
    send_text(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nline1\n\r\n");
    std::this_thread::sleep_for(100ms);
    send_text(fd, "6\r\nline2\n\r\n");
    while (!stop) std::this_thread::sleep_for(10ms);
  });
  HttpClient client(server.address(), 2s);
  std::string received;
  int status = 0;
  std::thread stopper([&] {
    for (int i = 0; i < 300 && received.size() < 12; ++i) std::this_thread::sleep_for(10ms);
    stop = true;
  });
  auto started = std::chrono::steady_clock::now();
  std::optional<NetError> broke = client.stream(
      {"GET", "/events", {}, {}}, stop,
      [&](const ResponseHead& head) { return (status = head.status) == 200; },
      [&](std::string_view piece) { received.append(piece); });
  stopper.join();
  CHECK_FALSE(broke);
  CHECK(status == 200);
  CHECK(received == "line1\nline2\n");
  CHECK(std::chrono::steady_clock::now() - started < 3s + 1500ms);
}

TEST_CASE("a stream refused with a status ends after the head") {
  std::atomic<bool> stop{false};
  ScriptedServer server([](int fd) {
    if (read_request(fd))
      send_text(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found");
  });
  HttpClient client(server.address(), 2s);
  std::string received;
  int status = 0;
  std::optional<NetError> broke = client.stream(
      {"GET", "/events", {}, {}}, stop,
      [&](const ResponseHead& head) { return (status = head.status) == 200; },
      [&](std::string_view piece) { received.append(piece); });
  CHECK_FALSE(broke);
  CHECK(status == 404);
  CHECK(received.empty());
}

}  // namespace run::net
