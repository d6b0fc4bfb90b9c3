#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <variant>

#include "net/http_client.h"

// HttpClient::hijack and the HijackedStream it hands back, against a one-connection server on
// a unix socket that plays Docker's exec start: the upgrade request, the 101 (or an older
// daemon's 200), then raw bytes both ways until our side closes its writing half.

namespace run::net {

namespace {

using namespace std::chrono_literals;

/// Accepts one connection on a unix socket and runs `serve(fd)` on it, on a thread of its own.
class OneConnectionServer {
 public:
  explicit OneConnectionServer(std::function<void(int)> serve) {
    char name[] = "/tmp/run-hijack-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    directory_ = name;
    path_ = directory_ + "/s.sock";
    listener_ = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, path_.c_str());
    REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(listener_, 1) == 0);
    thread_ = std::thread([this, serve = std::move(serve)] {
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      serve(fd);
      close(fd);
    });
  }
  ~OneConnectionServer() {
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
    std::remove(path_.c_str());
    rmdir(directory_.c_str());
  }
  Address address() const { return Address::unix_socket(path_); }

 private:
  std::string directory_;
  std::string path_;
  int listener_ = -1;
  std::thread thread_;
};

/// The request's head and body (a small JSON one, by Content-Length), as the server read it.
std::string read_request(int fd) {
  std::string bytes;
  char buffer[4096];
  auto complete = [&] {
    std::size_t end = bytes.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    std::size_t length_at = bytes.find("Content-Length: ");
    std::size_t length =
        length_at == std::string::npos ? 0 : std::stoul(bytes.substr(length_at + 16));
    return bytes.size() >= end + 4 + length;
  };
  while (!complete()) {
    ssize_t count = recv(fd, buffer, sizeof buffer, 0);
    if (count <= 0) break;
    bytes.append(buffer, static_cast<std::size_t>(count));
  }
  return bytes;
}

void send_text(int fd, std::string_view text) {
  REQUIRE(send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
}

/// After the head: sends back "echo:" and each piece read, until the client closes its
/// writing side; then "bye" and the end.
void echo_until_end(int fd) {
  char buffer[4096];
  while (true) {
    ssize_t count = recv(fd, buffer, sizeof buffer, 0);
    if (count <= 0) break;
    send_text(fd, "echo:" + std::string(buffer, static_cast<std::size_t>(count)));
  }
  send_text(fd, "bye");
}

constexpr std::string_view kUpgraded =
    "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
    "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

HttpRequest exec_start() {
  return {"POST",
          "/v1.41/exec/e1/start",
          {{"Content-Type", "application/json"}},
          R"({"Detach":false,"Tty":true})"};
}

/// Reads until `expected` bytes came or the stream ended or broke.
std::string read_some(HijackedStream& stream, std::size_t expected) {
  std::string bytes;
  char buffer[256];
  while (bytes.size() < expected) {
    NetError error;
    std::optional<std::size_t> count = stream.read(buffer, sizeof buffer, Clock::now() + 5s, error);
    if (!count || *count == 0) break;
    bytes.append(buffer, *count);
  }
  return bytes;
}

std::string read_to_end(HijackedStream& stream) { return read_some(stream, SIZE_MAX); }

}  // namespace

TEST_CASE("hijack: a 101 hands the connection over: the bytes after the head, then both ways") {
  std::string request;
  OneConnectionServer server([&](int fd) {
    request = read_request(fd);
    send_text(fd, std::string(kUpgraded) + "hello");  // the stream's first bytes with the head
    echo_until_end(fd);
  });
  HttpClient client(server.address(), 2s);
  std::variant<TakeoverAnswer, NetError> outcome = client.hijack(exec_start(), "tcp", 5s);
  REQUIRE(std::holds_alternative<TakeoverAnswer>(outcome));
  TakeoverAnswer& answer = std::get<TakeoverAnswer>(outcome);
  CHECK(answer.head.status == 101);
  REQUIRE(answer.stream);
  CHECK(read_some(*answer.stream, 5) == "hello");
  NetError error;
  REQUIRE(answer.stream->write("ping", Clock::now() + 5s, error));
  CHECK(read_some(*answer.stream, 9) == "echo:ping");
  answer.stream->close_write();
  answer.stream->close_write();  // harmless twice
  CHECK(read_to_end(*answer.stream) == "bye");
  CHECK(request.find("Connection: Upgrade\r\n") != std::string::npos);
  CHECK(request.find("Upgrade: tcp\r\n") != std::string::npos);
  CHECK(request.ends_with(R"({"Detach":false,"Tty":true})"));
}

TEST_CASE("hijack: an older daemon's 200 with no length hands the connection over too") {
  OneConnectionServer server([](int fd) {
    read_request(fd);
    send_text(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n");
    echo_until_end(fd);
  });
  HttpClient client(server.address(), 2s);
  std::variant<TakeoverAnswer, NetError> outcome = client.hijack(exec_start(), "tcp", 5s);
  REQUIRE(std::holds_alternative<TakeoverAnswer>(outcome));
  TakeoverAnswer& answer = std::get<TakeoverAnswer>(outcome);
  CHECK(answer.head.status == 200);
  REQUIRE(answer.stream);
  NetError error;
  REQUIRE(answer.stream->write("x", Clock::now() + 5s, error));
  answer.stream->close_write();
  CHECK(read_to_end(*answer.stream) == "echo:xbye");
}

TEST_CASE("hijack: a refusal is an answer with its body and no stream") {
  OneConnectionServer server([](int fd) {
    read_request(fd);
    std::string body = R"({"message":"No such exec instance: e1"})";
    send_text(fd, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body);
  });
  HttpClient client(server.address(), 2s);
  std::variant<TakeoverAnswer, NetError> outcome = client.hijack(exec_start(), "tcp", 5s);
  REQUIRE(std::holds_alternative<TakeoverAnswer>(outcome));
  TakeoverAnswer& answer = std::get<TakeoverAnswer>(outcome);
  CHECK(answer.head.status == 404);
  CHECK(!answer.stream);
  CHECK(answer.body == R"({"message":"No such exec instance: e1"})");
}

TEST_CASE("hijack: a server that never answers the head is a timeout, within the timeout") {
  OneConnectionServer server([](int fd) {
    read_request(fd);
    std::this_thread::sleep_for(1500ms);
  });
  HttpClient client(server.address(), 2s);
  auto started = Clock::now();
  std::variant<TakeoverAnswer, NetError> outcome = client.hijack(exec_start(), "tcp", 300ms);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).kind == NetError::Kind::kTimeout);
  CHECK(Clock::now() - started < 1200ms);
}

TEST_CASE(
    "hijacked stream: a read with nothing to read times out at its deadline, losing nothing") {
  OneConnectionServer server([](int fd) {
    read_request(fd);
    send_text(fd, kUpgraded);
    echo_until_end(fd);
  });
  HttpClient client(server.address(), 2s);
  std::variant<TakeoverAnswer, NetError> outcome = client.hijack(exec_start(), "tcp", 5s);
  REQUIRE(std::holds_alternative<TakeoverAnswer>(outcome));
  HijackedStream& stream = *std::get<TakeoverAnswer>(outcome).stream;
  char buffer[64];
  NetError error;
  auto started = Clock::now();
  CHECK(!stream.read(buffer, sizeof buffer, Clock::now() + 200ms, error));
  CHECK(error.kind == NetError::Kind::kTimeout);
  CHECK(Clock::now() - started >= 200ms);
  REQUIRE(stream.write("a", Clock::now() + 5s, error));
  CHECK(read_some(stream, 6) == "echo:a");
  stream.close_write();
  CHECK(read_to_end(stream) == "bye");
}

TEST_CASE("hijacked stream: a read waiting on one thread does not hold up a write on another") {
  OneConnectionServer server([](int fd) {
    read_request(fd);
    send_text(fd, kUpgraded);
    echo_until_end(fd);
  });
  HttpClient client(server.address(), 2s);
  std::variant<TakeoverAnswer, NetError> outcome = client.hijack(exec_start(), "tcp", 5s);
  REQUIRE(std::holds_alternative<TakeoverAnswer>(outcome));
  HijackedStream& stream = *std::get<TakeoverAnswer>(outcome).stream;
  std::string received;
  std::thread reader([&] { received = read_some(stream, 10); });
  std::this_thread::sleep_for(100ms);  // the reader is waiting now
  NetError error;
  auto started = Clock::now();
  CHECK(stream.write("typed", Clock::now() + 5s, error));
  CHECK(Clock::now() - started < 1s);
  reader.join();
  CHECK(received == "echo:typed");
  stream.close_write();
  CHECK(read_to_end(stream) == "bye");
}

}  // namespace run::net
