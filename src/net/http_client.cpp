#include "net/http_client.h"

#include <algorithm>

namespace run::net {

namespace {

constexpr std::size_t kReadSize = 16 * 1024;
/// How often a stream wakes to look at its stop flag.
constexpr std::chrono::seconds kStopCheck{1};
/// Idle connections kept for reuse; more requests in flight than this open their own.
constexpr std::size_t kIdleLimit = 16;

NetError malformed(const ResponseParser& parser) {
  return {NetError::Kind::kBroken, "the answer is not valid HTTP: " + parser.error()};
}

}  // namespace

HttpClient::HttpClient(Address address, std::chrono::milliseconds connect_timeout)
    : address_(std::move(address)), connect_timeout_(connect_timeout) {}

HttpClient::~HttpClient() = default;

std::string HttpClient::host_header() const {
  if (address_.kind == Address::Kind::kUnix) return "docker";  // any name will do on a socket
  bool ipv6 = address_.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address_.host + "]" : address_.host) + ":" + address_.port;
}

std::unique_ptr<Connection> HttpClient::open(Clock::time_point deadline, NetError& error) const {
  return Connection::open(address_, std::min(deadline, Clock::now() + connect_timeout_), error);
}

std::unique_ptr<Connection> HttpClient::take_idle() {
  std::lock_guard lock(idle_mutex_);
  if (idle_.empty()) return nullptr;
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void HttpClient::keep_idle(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(idle_mutex_);
  if (idle_.size() < kIdleLimit) idle_.push_back(std::move(connection));
}

std::variant<HttpAnswer, NetError> HttpClient::exchange(const HttpRequest& request,
                                                        std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  std::string bytes =
      request_bytes(request.method, request.target, host_header(), request.headers, request.body);
  // A reused connection may have been closed by the server while idle: that shows as a failed
  // send or an end before the first byte, and the request goes again on a new connection.
  for (std::unique_ptr<Connection> connection = take_idle();; connection = nullptr) {
    bool reused = connection != nullptr;
    NetError error;
    if (!connection && !(connection = open(deadline, error))) return error;
    if (!connection->send_all(bytes, deadline, error)) {
      if (reused && error.kind == NetError::Kind::kBroken) continue;
      return error;
    }
    ResponseParser parser(request.method == "HEAD");
    HttpAnswer answer;
    auto append = [&answer](std::string_view piece) { answer.body.append(piece); };
    bool received_any = false;
    bool retry = false;
    ResponseParser::Step step = ResponseParser::Step::kNeedMore;
    char buffer[kReadSize];
    while (step == ResponseParser::Step::kNeedMore) {
      std::optional<std::size_t> count =
          connection->receive(buffer, sizeof buffer, deadline, error);
      if ((!count && error.kind == NetError::Kind::kBroken) || (count && *count == 0)) {
        if (reused && !received_any) {
          retry = true;
          break;
        }
      }
      if (!count) return error;
      received_any = received_any || *count > 0;
      step = *count == 0 ? parser.finish() : parser.feed(std::string_view(buffer, *count), append);
    }
    if (retry) continue;
    if (step == ResponseParser::Step::kMalformed) return malformed(parser);
    answer.head = parser.head();
    if (parser.reusable()) keep_idle(std::move(connection));
    return answer;
  }
}

std::optional<NetError> HttpClient::stream(const HttpRequest& request,
                                           const std::atomic<bool>& stop,
                                           const std::function<bool(const ResponseHead&)>& on_head,
                                           const std::function<void(std::string_view)>& on_body) {
  NetError error;
  std::unique_ptr<Connection> connection = open(Clock::now() + connect_timeout_, error);
  if (!connection) return error;
  std::string bytes =
      request_bytes(request.method, request.target, host_header(), request.headers, request.body);
  if (!connection->send_all(bytes, Clock::now() + connect_timeout_, error)) return error;
  ResponseParser parser;
  bool head_passed = false;
  bool wanted = true;
  auto pass_head = [&] {
    if (head_passed || !parser.head_complete()) return;
    head_passed = true;
    wanted = on_head(parser.head());
  };
  auto pass_body = [&](std::string_view piece) {
    pass_head();
    if (wanted) on_body(piece);
  };
  char buffer[kReadSize];
  while (!stop.load()) {
    std::optional<std::size_t> count =
        connection->receive(buffer, sizeof buffer, Clock::now() + kStopCheck, error);
    if (stop.load()) break;  // whatever came with the stop (the server hanging up, say) is not news
    if (!count) {
      if (error.kind == NetError::Kind::kTimeout) continue;
      return error;
    }
    ResponseParser::Step step =
        *count == 0 ? parser.finish() : parser.feed(std::string_view(buffer, *count), pass_body);
    if (step == ResponseParser::Step::kMalformed) return malformed(parser);
    pass_head();
    if (!wanted || step == ResponseParser::Step::kDone) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace run::net
