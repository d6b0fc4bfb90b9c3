#include "net/http_client.h"

#include <algorithm>

namespace run::net {

namespace {

constexpr std::size_t kReadSize = 16 * 1024;
/// How often a stream wakes to look at its stop flag.
constexpr std::chrono::seconds kStopCheck{1};
/// Idle connections kept for reuse; more requests in flight than this open their own.
constexpr std::size_t kIdleLimit = 16;
/// An uploaded body goes in chunks of this size: small pieces (a tar's 512-byte headers) are
/// gathered, so a chunk costs one send, and large ones cut, so no more than this is held.
constexpr std::size_t kChunkSize = 64 * 1024;
/// The longest one chunk may take to send. Docker takes a build context as fast as it can write
/// it to disk, so even a slow disk takes 64 KiB within seconds; a daemon that takes none of it
/// for a minute is stuck, and must not hold the build (and the terminal) forever.
constexpr std::chrono::seconds kWriteTimeout{60};
/// After a send failed, how long to wait for an answer the server may have sent before closing.
constexpr std::chrono::seconds kEarlyAnswerWait{5};

/// How long a request through a command waits for a busy connection to come back before it
/// starts a process of its own: well under what an ssh session takes to set up (100 ms and
/// more), well over what a short request takes, so that a burst of short requests (a plan's
/// observe steps, side by side) shares one process, and a long one (a stop that waits for its
/// container) holds up the others no longer than this.
constexpr std::chrono::milliseconds kCommandReuseWait{100};

/// How long a command whose stream ended may take to finish printing why (ssh prints its
/// reason, then exits at once).
constexpr std::chrono::seconds kCommandExitWait{2};

using HeadSink = std::function<bool(const ResponseHead&)>;
using BodySink = std::function<void(std::string_view)>;

/// Methods whose request, sent twice, does what it does once (RFC 9110 9.2.2): one of them
/// may go again when the connection broke before its answer.
bool is_idempotent(std::string_view method) {
  for (std::string_view each : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
    if (method == each) return true;
  return false;
}

/// A byte count as a message says it: in MiB when it is whole MiB.
std::string size_text(std::size_t bytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

NetError malformed(const ResponseParser& parser) {
  return {NetError::Kind::kBroken, "the answer is not valid HTTP: " + parser.error()};
}

/// On a command's connection (ssh), a stream that ended, broke or timed out is explained by what
/// the command printed ("Permission denied (publickey)"): it is added to the error, which
/// becomes a failure to connect when nothing was answered (the command never reached the
/// server). Other connections' errors are left as they are.
NetError explained(NetError error, Connection& connection, bool answered) {
  std::string name = connection.command_name();
  if (name.empty()) return error;
  bool ended = error.kind != NetError::Kind::kTimeout;
  std::string said =
      connection.command_errors(ended ? Clock::now() + kCommandExitWait : Clock::now());
  if (!answered && ended) {
    error.kind = NetError::Kind::kConnect;
    error.detail = "`" + name + "` ended the stream before any answer";
  }
  if (!said.empty()) {
    for (std::size_t at = 0; (at = said.find('\n', at)) != std::string::npos;)
      said.replace(at, 1, "; ");
    error.detail += "; " + name + " printed: " + said;
  } else if (!answered && ended) {
    error.detail += " (it printed nothing)";
  }
  return error;
}

/// Hands an answer on as its bytes arrive: the head once, when it is complete, then the body,
/// for as long as `on_head` wanted it.
class AnswerRelay {
 public:
  AnswerRelay(const HeadSink& on_head, const BodySink& on_body)
      : on_head_(on_head), on_body_(on_body) {}

  /// Bytes received; none: the server closed the connection.
  ResponseParser::Step take(std::string_view bytes) {
    auto pass_body = [this](std::string_view piece) {
      pass_head();
      if (wanted_) on_body_(piece);
    };
    ResponseParser::Step step = bytes.empty() ? parser_.finish() : parser_.feed(bytes, pass_body);
    if (step != ResponseParser::Step::kMalformed) pass_head();
    return step;
  }
  bool head_passed() const { return head_passed_; }
  bool wanted() const { return wanted_; }
  const ResponseParser& parser() const { return parser_; }

 private:
  void pass_head() {
    if (head_passed_ || !parser_.head_complete()) return;
    head_passed_ = true;
    wanted_ = on_head_(parser_.head());
  }

  const HeadSink& on_head_;
  const BodySink& on_body_;
  ResponseParser parser_;
  bool head_passed_ = false;
  bool wanted_ = true;
};

/// Reads the answer on `connection` into `relay` until it ends, is not wanted, or `stop` is
/// set (nullopt), waking at least once a second to look at `stop`; an error when it broke, or
/// when nothing ended it by `give_up`.
std::optional<NetError> relay_answer(Connection& connection, AnswerRelay& relay,
                                     const std::atomic<bool>& stop, Clock::time_point give_up) {
  char buffer[kReadSize];
  while (!stop.load()) {
    NetError error;
    std::optional<std::size_t> count = connection.receive(
        buffer, sizeof buffer, std::min(Clock::now() + kStopCheck, give_up), error);
    if (stop.load()) break;  // whatever came with the stop (the server hanging up, say) is not news
    if (!count) {
      if (error.kind == NetError::Kind::kTimeout && Clock::now() < give_up) continue;
      return error;
    }
    ResponseParser::Step step = relay.take(std::string_view(buffer, *count));
    if (step == ResponseParser::Step::kMalformed) return malformed(relay.parser());
    if (!relay.wanted() || step == ResponseParser::Step::kDone) return std::nullopt;
  }
  return std::nullopt;
}

/// Sends a body as chunks of kChunkSize, gathering small pieces and cutting large ones, each
/// chunk within its own deadline. Takes nothing more once `stop` is set or a send failed. A
/// server that stops reading holds a send until its deadline: Connection has no wait that also
/// watches `stop`, so a stop is seen after it (while the server reads, at once).
class ChunkedSender {
 public:
  ChunkedSender(Connection& connection, const std::atomic<bool>& stop)
      : connection_(connection), stop_(stop) {
    pending_.reserve(kChunkSize);
  }

  /// Sends `bytes` as they are (the request head, the last chunk).
  bool send(std::string_view bytes) {
    if (!open()) return false;
    NetError error;
    if (connection_.send_all(bytes, Clock::now() + kWriteTimeout, error)) return true;
    if (error.kind == NetError::Kind::kTimeout)
      error.detail =
          "the server took no more of the body for " + std::to_string(kWriteTimeout.count()) + " s";
    failure_ = std::move(error);
    return false;
  }
  /// Takes one piece of the body; false once nothing more is taken.
  bool write(std::string_view piece) {
    while (!piece.empty()) {
      std::size_t count = std::min(piece.size(), kChunkSize - pending_.size());
      pending_.append(piece.substr(0, count));
      piece.remove_prefix(count);
      if (pending_.size() == kChunkSize && !flush()) return false;
    }
    return open();
  }
  /// Sends what is gathered, then the end of the body.
  bool finish() { return flush() && send(kLastChunk); }
  const std::optional<NetError>& failure() const { return failure_; }

 private:
  bool open() const { return !stop_.load() && !failure_; }
  bool flush() {
    if (pending_.empty()) return open();
    bool sent = send(chunk_bytes(pending_));
    pending_.clear();
    return sent;
  }

  Connection& connection_;
  const std::atomic<bool>& stop_;
  std::string pending_;
  std::optional<NetError> failure_;
};

}  // namespace

HttpClient::HttpClient(Address address, std::chrono::milliseconds connect_timeout,
                       std::size_t max_answer_bytes)
    : address_(std::move(address)),
      connect_timeout_(connect_timeout),
      max_answer_bytes_(max_answer_bytes) {}

HttpClient::~HttpClient() = default;

std::string HttpClient::host_header() const {
  // Any name will do on a socket, or through a command (ssh's dial-stdio reaches a socket).
  if (address_.kind != Address::Kind::kTcp) return "docker";
  bool ipv6 = address_.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address_.host + "]" : address_.host) + ":" + address_.port;
}

std::string HttpClient::server_name() const {
  switch (address_.kind) {
    case Address::Kind::kUnix:
      return address_.path;
    case Address::Kind::kTcp:
      return host_header();
    case Address::Kind::kCommand:
      return address_.command.empty() ? "a command" : "`" + address_.command.front() + "`";
  }
  return {};
}

std::unique_ptr<Connection> HttpClient::open(Clock::time_point deadline, NetError& error) const {
  return Connection::open(address_, std::min(deadline, Clock::now() + connect_timeout_), error);
}

std::unique_ptr<Connection> HttpClient::begin_exchange(Clock::time_point deadline) {
  std::unique_lock lock(idle_mutex_);
  // Through a command a new connection is a new process, which takes longer to start than a
  // short request takes to end: when all are busy, wait a little for one to come back.
  if (idle_.empty() && address_.kind == Address::Kind::kCommand && exchanges_ > 0)
    idle_returned_.wait_until(lock, std::min(deadline, Clock::now() + kCommandReuseWait),
                              [this] { return !idle_.empty() || exchanges_ == 0; });
  ++exchanges_;
  while (!idle_.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    // One the server closed while it was idle goes now, before a request is sent on it: a
    // request sent there is lost, and a POST could not be sent again.
    if (connection->quiet()) return connection;
  }
  return nullptr;
}

void HttpClient::end_exchange(std::unique_ptr<Connection> reusable) {
  {
    std::lock_guard lock(idle_mutex_);
    --exchanges_;
    if (reusable && idle_.size() < kIdleLimit) idle_.push_back(std::move(reusable));
  }
  idle_returned_.notify_all();
}

/// How one try of an exchange on one connection ended.
struct HttpClient::Attempt {
  std::variant<HttpAnswer, NetError> outcome;
  /// The connection broke or ended before any byte of an answer: on a reused connection, the
  /// server may have closed it as the request went.
  bool ended_unanswered = false;
  bool nothing_sent = false;  ///< no byte of the request went
  bool reusable = false;      ///< the connection may carry the next request
};

HttpClient::Attempt HttpClient::try_exchange(Connection& connection, const HttpRequest& request,
                                             std::string_view bytes,
                                             Clock::time_point deadline) const {
  Attempt attempt;
  NetError error;
  std::size_t sent_before = connection.sent_count();
  if (!connection.send_all(bytes, deadline, error)) {
    attempt.ended_unanswered = error.kind == NetError::Kind::kBroken;
    attempt.nothing_sent = connection.sent_count() == sent_before;
    attempt.outcome = explained(error, connection, false);
    return attempt;
  }
  ResponseParser parser(request.method == "HEAD");
  HttpAnswer answer;
  bool too_large = false;
  auto append = [&](std::string_view piece) {
    too_large = too_large || answer.body.size() + piece.size() > max_answer_bytes_;
    if (!too_large) answer.body.append(piece);
  };
  bool received_any = false;
  ResponseParser::Step step = ResponseParser::Step::kNeedMore;
  char buffer[kReadSize];
  while (step == ResponseParser::Step::kNeedMore) {
    std::optional<std::size_t> count = connection.receive(buffer, sizeof buffer, deadline, error);
    bool ended = (!count && error.kind == NetError::Kind::kBroken) || (count && *count == 0);
    if (ended && !received_any) {
      attempt.ended_unanswered = true;
      if (count) error = {NetError::Kind::kBroken, "the connection closed before an answer"};
      attempt.outcome = explained(error, connection, false);
      return attempt;
    }
    if (!count) {
      attempt.outcome = explained(error, connection, received_any);
      return attempt;
    }
    received_any = true;
    step = *count == 0 ? parser.finish() : parser.feed(std::string_view(buffer, *count), append);
    if (too_large) {
      attempt.outcome =
          NetError{NetError::Kind::kBroken, "the answer from " + server_name() +
                                                " is larger than " + size_text(max_answer_bytes_)};
      return attempt;
    }
  }
  if (step == ResponseParser::Step::kMalformed) {
    attempt.outcome = explained(malformed(parser), connection, true);
    return attempt;
  }
  answer.head = parser.head();
  attempt.reusable = parser.reusable();
  attempt.outcome = std::move(answer);
  return attempt;
}

std::variant<HttpAnswer, NetError> HttpClient::exchange(const HttpRequest& request,
                                                        std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  std::string bytes =
      request_bytes(request.method, request.target, host_header(), request.headers, request.body);
  std::unique_ptr<Connection> reusable;  // handed back however the exchange ends
  struct EndExchange {
    HttpClient& client;
    std::unique_ptr<Connection>& reusable;
    ~EndExchange() { client.end_exchange(std::move(reusable)); }
  } end{*this, reusable};
  std::unique_ptr<Connection> connection = begin_exchange(deadline);
  bool reused = connection != nullptr;
  while (true) {
    NetError error;
    if (!connection && !(connection = open(deadline, error))) return error;
    Attempt attempt = try_exchange(*connection, request, bytes, deadline);
    if (attempt.reusable) reusable = std::move(connection);
    if (!reused || !attempt.ended_unanswered) return std::move(attempt.outcome);
    // A reused connection the server closed as the request went: once more on a new one,
    // when that cannot do twice what the caller asked once.
    if (attempt.nothing_sent || is_idempotent(request.method)) {
      connection = nullptr;
      reused = false;
      continue;
    }
    NetError failure = std::get<NetError>(std::move(attempt.outcome));
    failure.detail += "; the request was sent and may have been received, so it is not sent again";
    return failure;
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
  if (!connection->send_all(bytes, Clock::now() + connect_timeout_, error))
    return explained(error, *connection, false);
  AnswerRelay relay(on_head, on_body);
  std::optional<NetError> broke = relay_answer(*connection, relay, stop, Clock::time_point::max());
  if (broke) return explained(*broke, *connection, relay.head_passed());
  return std::nullopt;
}

std::optional<NetError> HttpClient::upload(const HttpRequest& request, const BodyWriter& body,
                                           const std::atomic<bool>& stop,
                                           const std::function<bool(const ResponseHead&)>& on_head,
                                           const std::function<void(std::string_view)>& on_body) {
  NetError error;
  std::unique_ptr<Connection> connection = open(Clock::now() + connect_timeout_, error);
  if (!connection) return error;
  ChunkedSender sender(*connection, stop);
  bool sent = sender.send(chunked_request_head(request.method, request.target, host_header(),
                                               request.headers)) &&
              body([&sender](std::string_view piece) { return sender.write(piece); }) &&
              sender.finish();
  // Returning closes the connection: that is how the server learns it should stop.
  if (stop.load()) return std::nullopt;
  AnswerRelay relay(on_head, on_body);
  if (sent) {
    std::optional<NetError> broke =
        relay_answer(*connection, relay, stop, Clock::time_point::max());
    if (broke) return explained(*broke, *connection, relay.head_passed());
    return std::nullopt;
  }
  if (!sender.failure()) return NetError{NetError::Kind::kBroken, "the request body was abandoned"};
  // A server that refuses a request (a bad parameter, say) may answer before it has read the
  // whole body and close the connection on the rest: then its answer is the news, not the send.
  std::optional<NetError> early =
      relay_answer(*connection, relay, stop, Clock::now() + kEarlyAnswerWait);
  if (relay.head_passed()) return early;
  return explained(*sender.failure(), *connection, false);
}

std::variant<TakeoverAnswer, NetError> HttpClient::hijack(const HttpRequest& request,
                                                          std::string_view protocol,
                                                          std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  NetError error;
  std::unique_ptr<Connection> connection = open(deadline, error);
  if (!connection) return error;
  std::vector<Header> headers = request.headers;
  headers.push_back({"Connection", "Upgrade"});
  headers.push_back({"Upgrade", std::string(protocol)});
  std::string bytes =
      request_bytes(request.method, request.target, host_header(), headers, request.body);
  if (!connection->send_all(bytes, deadline, error)) return explained(error, *connection, false);
  ResponseParser parser(false, Takeover::kAsked);
  TakeoverAnswer answer;
  auto append = [&answer](std::string_view piece) { answer.body.append(piece); };
  ResponseParser::Step step = ResponseParser::Step::kNeedMore;
  bool received_any = false;
  char buffer[kReadSize];
  while (step == ResponseParser::Step::kNeedMore) {
    std::optional<std::size_t> count = connection->receive(buffer, sizeof buffer, deadline, error);
    if (!count) return explained(error, *connection, received_any);
    received_any = received_any || *count > 0;
    step = *count == 0 ? parser.finish() : parser.feed(std::string_view(buffer, *count), append);
  }
  if (step == ResponseParser::Step::kMalformed)
    return explained(malformed(parser), *connection, received_any);
  answer.head = parser.head();
  if (parser.taken_over())
    answer.stream = std::make_unique<HijackedStream>(std::move(connection), parser.stream_bytes());
  return answer;
}

}  // namespace run::net
