#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "docker/http_docker_api.h"
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

/// Where a ScriptedServer listens. On TCP, a send to a peer that closed succeeds (the reset
/// comes after); on a unix socket it fails at once.
enum class Transport { kUnix, kTcp };

/// A server on a unix socket (or TCP on 127.0.0.1) that answers each connection with
/// `serve(fd)`, one connection at a time, and counts the connections it accepted.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<void(int)> serve, Transport transport = Transport::kUnix)
      : serve_(std::move(serve)), transport_(transport) {
    if (transport == Transport::kTcp) {
      listen_tcp();
    } else {
      listen_unix();
    }
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
    if (transport_ == Transport::kTcp) return;
    std::remove(path_.c_str());
    rmdir(directory_.c_str());
  }
  Address address() const {
    return transport_ == Transport::kTcp ? Address::tcp("127.0.0.1", std::to_string(port_))
                                         : Address::unix_socket(path_);
  }
  const std::string& path() const { return path_; }
  std::atomic<int> accepted{0};

 private:
  void listen_unix() {
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
  }
  void listen_tcp() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(listen(listener_, 8) == 0);
    socklen_t length = sizeof address;
    REQUIRE(getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }

  std::function<void(int)> serve_;
  Transport transport_;
  int port_ = 0;
  std::string directory_, path_;
  int listener_ = -1;
  std::thread thread_;
};

void send_text(int fd, const std::string& text) {
  CHECK(send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
}

const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

/// Reads a request's head from `fd`; what came after it stays in `rest`. Empty at the end.
std::string read_head(int fd, std::string& rest) {
  char buffer[4096];
  while (rest.find("\r\n\r\n") == std::string::npos) {
    ssize_t count = recv(fd, buffer, sizeof buffer, 0);
    if (count <= 0) return {};
    rest.append(buffer, static_cast<std::size_t>(count));
  }
  std::size_t end = rest.find("\r\n\r\n") + 4;
  std::string head = rest.substr(0, end);
  rest.erase(0, end);
  return head;
}

/// Reads a chunked body from `fd`, after the `rest` of the head's bytes; nullopt when the
/// connection ended before the last chunk.
std::optional<std::string> read_chunked_body(int fd, std::string rest) {
  std::string body;
  char buffer[64 * 1024];
  auto more = [&] {
    ssize_t count = recv(fd, buffer, sizeof buffer, 0);
    if (count > 0) rest.append(buffer, static_cast<std::size_t>(count));
    return count > 0;
  };
  while (true) {
    while (rest.find("\r\n") == std::string::npos)
      if (!more()) return std::nullopt;
    std::size_t size = std::stoul(rest.substr(0, rest.find("\r\n")), nullptr, 16);
    rest.erase(0, rest.find("\r\n") + 2);
    while (rest.size() < size + 2)
      if (!more()) return std::nullopt;
    if (rest.compare(size, 2, "\r\n") != 0) return std::nullopt;
    if (size == 0) return body;  // no trailers: the chunk of size zero ends with one CRLF
    body.append(rest, 0, size);
    rest.erase(0, size + 2);
  }
}

/// Reads whatever comes on `fd` until the client closes it (true) or `limit` passes.
bool drain_until_closed(int fd, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[64 * 1024];
  while (std::chrono::steady_clock::now() < deadline) {
    ssize_t count = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return true;
    if (count < 0) std::this_thread::sleep_for(5ms);
  }
  return false;
}

/// `size` bytes that are not all alike, so a lost or repeated piece shows.
std::string patterned(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 7919 + i / 251) & 255);
  return bytes;
}

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

TEST_CASE("a connection the server closed while idle is not sent on: a POST goes once") {
  // On TCP the send to a closed peer succeeds, so only looking first keeps the POST whole.
  std::atomic<int> requests{0};
  ScriptedServer server(
      [&](int fd) {
        if (!read_request(fd)) return;
        ++requests;
        send_text(fd, kOk);  // then closes, though it said nothing of it
      },
      Transport::kTcp);
  HttpClient client(server.address(), 2s);
  CHECK(answer_of(client.exchange({"POST", "/a", {}, "{}"}, 2s)).body == "ok");
  std::this_thread::sleep_for(50ms);
  CHECK(answer_of(client.exchange({"POST", "/b", {}, "{}"}, 2s)).body == "ok");
  CHECK(requests == 2);
  CHECK(server.accepted == 2);
}

/// A server whose first connection answers one request, then reads the next and closes
/// without an answer (as one whose idle timeout fired as the request came); later connections
/// answer. Counts the requests that arrived.
struct ClosingAfterReadServer {
  std::atomic<int> requests{0};
  ScriptedServer server{[this](int fd) {
    bool first = server.accepted == 1;
    while (read_request(fd)) {
      ++requests;
      if (first && requests == 2) return;
      send_text(fd, kOk);
    }
  }};
};

TEST_CASE("a POST the server received on a reused connection, then closed on, is not sent again") {
  ClosingAfterReadServer closing;
  HttpClient client(closing.server.address(), 2s);
  CHECK(answer_of(client.exchange({"POST", "/a", {}, "{}"}, 2s)).body == "ok");
  std::variant<HttpAnswer, NetError> outcome = client.exchange({"POST", "/b", {}, "{}"}, 2s);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).detail ==
        "the connection closed before an answer; the request was sent and may have been "
        "received, so it is not sent again");
  CHECK(closing.requests == 2);
  CHECK(closing.server.accepted == 1);
}

TEST_CASE("an idempotent request the server closed on, on a reused connection, goes once more") {
  for (std::string method : {"GET", "PUT", "DELETE"}) {
    CAPTURE(method);
    ClosingAfterReadServer closing;
    HttpClient client(closing.server.address(), 2s);
    CHECK(answer_of(client.exchange({method, "/a", {}, {}}, 2s)).body == "ok");
    CHECK(answer_of(client.exchange({method, "/b", {}, {}}, 2s)).body == "ok");
    CHECK(closing.requests == 3);
    CHECK(closing.server.accepted == 2);
  }
}

TEST_CASE("a request on a new connection that closes before an answer is not sent again") {
  std::atomic<int> requests{0};
  ScriptedServer server([&](int fd) {
    if (read_request(fd)) ++requests;
  });
  HttpClient client(server.address(), 2s);
  std::variant<HttpAnswer, NetError> outcome = client.exchange({"GET", "/a", {}, {}}, 2s);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).detail == "the connection closed before an answer");
  CHECK(requests == 1);
}

TEST_CASE("an answer larger than the client's cap is an error that names the cap") {
  constexpr std::size_t kCap = 1 << 20;
  auto answer_with = [](std::size_t size, bool chunked) {
    std::string body(size, 'b');
    if (!chunked)
      return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" + body;
    return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk_bytes(body) +
           std::string(kLastChunk);
  };
  for (bool chunked : {false, true}) {
    CAPTURE(chunked);
    ScriptedServer server([&](int fd) {
      while (read_request(fd)) {
        send_text(fd, answer_with(kCap, chunked));
        // The client stops reading once over the cap and closes: the rest of the send fails.
        std::string over = answer_with(kCap + 1, chunked);
        if (read_request(fd)) (void)send(fd, over.data(), over.size(), MSG_NOSIGNAL);
      }
    });
    HttpClient client(server.address(), 2s, kCap);
    CHECK(answer_of(client.exchange({"GET", "/fits", {}, {}}, 5s)).body.size() == kCap);
    std::variant<HttpAnswer, NetError> outcome = client.exchange({"GET", "/over", {}, {}}, 5s);
    REQUIRE(std::holds_alternative<NetError>(outcome));
    CHECK(std::get<NetError>(outcome).detail ==
          "the answer from " + server.path() + " is larger than 1 MiB");
  }
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

TEST_CASE("an upload sends a body of several MiB in chunks, intact, and passes the answer on") {
  std::string head;
  std::optional<std::string> received;
  ScriptedServer server([&](int fd) {
    std::string rest;
    head = read_head(fd, rest);
    received = read_chunked_body(fd, rest);
    send_text(fd, "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n{\"aux\":\"x\"}\n");
  });
  std::string body = patterned(5 * 1024 * 1024 + 17);
  HttpClient client(server.address(), 2s);
  std::atomic<bool> stop{false};
  int status = 0;
  std::string answer;
  std::optional<NetError> broke = client.upload(
      {"POST", "/build?t=x", {{"Content-Type", "application/x-tar"}}, {}},
      [&](const std::function<bool(std::string_view)>& write) {
        // Pieces of every size, as a tar writer makes them: 512-byte headers, file contents.
        for (std::size_t at = 0, size = 1; at < body.size(); at += size, size = size * 3 % 200003)
          if (!write(std::string_view(body).substr(at, size))) return false;
        return true;
      },
      stop, [&](const ResponseHead& answer_head) { return (status = answer_head.status) == 200; },
      [&](std::string_view piece) { answer.append(piece); });
  CHECK_FALSE(broke);
  CHECK(status == 200);
  CHECK(answer == "{\"aux\":\"x\"}\n");
  CHECK(head.starts_with("POST /build?t=x HTTP/1.1\r\n"));
  CHECK(head.find("Transfer-Encoding: chunked\r\n") != std::string::npos);
  CHECK(head.find("Content-Type: application/x-tar\r\n") != std::string::npos);
  CHECK(head.find("Content-Length") == std::string::npos);
  REQUIRE(received);
  CHECK(received->size() == body.size());
  CHECK(*received == body);
}

TEST_CASE("a stop during an upload closes the connection and returns within a second or two") {
  std::atomic<bool> closed_seen{false};
  ScriptedServer server([&](int fd) {
    std::string rest;
    read_head(fd, rest);
    closed_seen = drain_until_closed(fd, 10s);  // a daemon taking a large context
  });
  HttpClient client(server.address(), 2s);
  std::atomic<bool> stop{false};
  std::string piece = patterned(10000);
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);
    stop = true;
  });
  bool head_seen = false;
  auto started = std::chrono::steady_clock::now();
  std::optional<NetError> broke = client.upload(
      {"POST", "/build", {}, {}},
      [&](const std::function<bool(std::string_view)>& write) {
        while (write(piece)) {
        }
        return false;
      },
      stop, [&](const ResponseHead&) { return head_seen = true; }, [](std::string_view) {});
  auto elapsed = std::chrono::steady_clock::now() - started;
  stopper.join();
  CHECK_FALSE(broke);
  CHECK_FALSE(head_seen);
  CHECK(elapsed < 2s);
  for (int i = 0; i < 200 && !closed_seen; ++i) std::this_thread::sleep_for(10ms);
  CHECK(closed_seen);
}

TEST_CASE("a stop while the answer is awaited closes the connection within a second or two") {
  std::atomic<bool> closed_seen{false};
  ScriptedServer server([&](int fd) {
    std::string rest;
    read_head(fd, rest);
    if (!read_chunked_body(fd, rest)) return;
    closed_seen = drain_until_closed(fd, 10s);  // building, and saying nothing yet
  });
  HttpClient client(server.address(), 2s);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);
    stop = true;
  });
  auto started = std::chrono::steady_clock::now();
  std::optional<NetError> broke = client.upload(
      {"POST", "/build", {}, {}},
      [](const std::function<bool(std::string_view)>& write) { return write("context"); }, stop,
      [](const ResponseHead&) { return true; }, [](std::string_view) {});
  auto elapsed = std::chrono::steady_clock::now() - started;
  stopper.join();
  CHECK_FALSE(broke);
  CHECK(elapsed < 2s);
  for (int i = 0; i < 200 && !closed_seen; ++i) std::this_thread::sleep_for(10ms);
  CHECK(closed_seen);
}

TEST_CASE("a body writer that gives up is an error, and the server never sees the body end") {
  std::optional<std::string> received = std::string("not read");
  ScriptedServer server([&](int fd) {
    std::string rest;
    read_head(fd, rest);
    received = read_chunked_body(fd, rest);
  });
  HttpClient client(server.address(), 2s);
  std::atomic<bool> stop{false};
  bool head_seen = false;
  std::optional<NetError> broke = client.upload(
      {"POST", "/build", {}, {}},
      [](const std::function<bool(std::string_view)>& write) {
        return write("the first file") && false;  // the second cannot be read
      },
      stop, [&](const ResponseHead&) { return head_seen = true; }, [](std::string_view) {});
  REQUIRE(broke);
  CHECK(broke->detail == "the request body was abandoned");
  CHECK_FALSE(head_seen);
  for (int i = 0; i < 200 && received && *received == "not read"; ++i)
    std::this_thread::sleep_for(10ms);
  CHECK_FALSE(received);
}

TEST_CASE("a server that refuses before it read the body is heard, not the broken send") {
  ScriptedServer server([](int fd) {
    std::string rest;
    read_head(fd, rest);
    send_text(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 13\r\n\r\n{\"message\":1}");
    // and hangs up on the body it did not read: the client's next send breaks
  });
  HttpClient client(server.address(), 2s);
  std::atomic<bool> stop{false};
  std::string piece = patterned(64 * 1024);
  int status = 0;
  std::string answer;
  bool send_broke = false;
  std::optional<NetError> broke = client.upload(
      {"POST", "/build", {}, {}},
      [&](const std::function<bool(std::string_view)>& write) {
        for (int i = 0; i < 2000; ++i)  // 125 MiB: far more than the socket holds
          if (!write(piece)) {
            send_broke = true;
            return false;
          }
        return true;
      },
      stop, [&](const ResponseHead& head) { return (status = head.status) != 0; },
      [&](std::string_view bytes) { answer.append(bytes); });
  CHECK_FALSE(broke);
  CHECK(status == 400);
  CHECK(answer == "{\"message\":1}");
  CHECK(send_broke);
}

/// Answers /_ping as a daemon speaking API 1.41 would, closing that connection, so the next
/// one is the request under test; false for any other request, whose head stays in `head`.
bool answered_ping(int fd, std::string& head, std::string& rest) {
  head = read_head(fd, rest);
  if (!head.starts_with("GET /_ping ")) return false;
  send_text(fd,
            "HTTP/1.1 200 OK\r\nAPI-Version: 1.41\r\nContent-Length: 2\r\n"
            "Connection: close\r\n\r\nOK");
  return true;
}

TEST_CASE("http docker api: a streamed POST sends its body and passes the answer's lines on") {
  std::string head;
  std::optional<std::string> received;
  ScriptedServer server([&](int fd) {
    std::string rest;
    if (answered_ping(fd, head, rest)) return;
    received = read_chunked_body(fd, rest);
    send_text(fd,
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
              "19\r\n{\"stream\":\"Step 1/1\"}\r\n\r\n\r\n"
              "d\r\n{\"aux\":{\"ID\":\r\n8\r\n\"sha\"}}\n\r\n"
              "5\r\n{\"x\"}\r\n0\r\n\r\n");
  });
  docker::DockerEndpoint endpoint;
  endpoint.host = "unix://" + server.address().path;
  docker::HttpDockerApi api(endpoint);
  std::atomic<bool> stop{false};
  std::vector<std::string> lines;
  Result<long> status = api.post_streamed(
      {"/build?t=x",
       "application/x-tar",
       {{"X-Registry-Config", "e30="}},
       [](const std::function<bool(std::string_view)>& write) { return write("the context"); }},
      [&](std::string_view line) { lines.emplace_back(line); }, stop);
  REQUIRE(status.ok());
  CHECK(*status == 200);
  CHECK(head.starts_with("POST /v1.41/build?t=x HTTP/1.1\r\n"));
  CHECK(head.find("Content-Type: application/x-tar\r\n") != std::string::npos);
  CHECK(head.find("X-Registry-Config: e30=\r\n") != std::string::npos);
  CHECK(received == std::optional<std::string>("the context"));
  CHECK(lines == std::vector<std::string>{R"({"stream":"Step 1/1"})", R"({"aux":{"ID":"sha"}})",
                                          R"({"x"})"});
}

TEST_CASE("http docker api: a refused streamed POST is an error with Docker's message") {
  ScriptedServer server([&](int fd) {
    std::string head, rest;
    if (answered_ping(fd, head, rest)) return;
    if (!read_chunked_body(fd, rest)) return;
    send_text(fd,
              "HTTP/1.1 400 Bad Request\r\nContent-Length: 38\r\n\r\n"
              "{\"message\":\"invalid reference format\"}");
  });
  docker::DockerEndpoint endpoint;
  endpoint.host = "unix://" + server.address().path;
  docker::HttpDockerApi api(endpoint);
  std::atomic<bool> stop{false};
  bool line_seen = false;
  Result<long> status = api.post_streamed(
      {"/build?t=x", "application/x-tar", {}, [](const auto& write) { return write("tar"); }},
      [&](std::string_view) { line_seen = true; }, stop);
  REQUIRE_FALSE(status.ok());
  CHECK(status.errors().front().message == "Docker at " + endpoint.host +
                                               " refused POST /build (HTTP 400): invalid "
                                               "reference format");
  CHECK_FALSE(line_seen);
}

TEST_CASE("http docker api: a body that could not be written is not worded as Docker's failure") {
  ScriptedServer server([&](int fd) {
    std::string head, rest;
    if (answered_ping(fd, head, rest)) return;
    drain_until_closed(fd, 2s);
  });
  docker::DockerEndpoint endpoint;
  endpoint.host = "unix://" + server.address().path;
  docker::HttpDockerApi api(endpoint);
  std::atomic<bool> stop{false};
  Result<long> status = api.post_streamed(
      {"/build?t=x",
       "application/x-tar",
       {},
       [](const auto& write) { return write("a") && false; }},
      [](std::string_view) {}, stop);
  REQUIRE_FALSE(status.ok());
  CHECK(status.errors().front().message ==
        "POST /build to Docker at " + endpoint.host + " abandoned: its body could not be written");
}

}  // namespace run::net
