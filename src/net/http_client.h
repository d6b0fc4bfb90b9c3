#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "net/connection.h"
#include "net/hijacked_stream.h"
#include "net/http_wire.h"

namespace run::net {

struct HttpRequest {
  std::string method = "GET";
  std::string target;  ///< "/path?query"
  std::vector<Header> headers;
  std::string body;
};

struct HttpAnswer {
  ResponseHead head;
  std::string body;
};

/// The answer to a request that asked the server to take its connection over: the head, and
/// the stream when the server took it (101, or a 2xx), else the whole answer's body (a refusal
/// and its reason).
struct TakeoverAnswer {
  ResponseHead head;
  std::unique_ptr<HijackedStream> stream;  ///< null when refused
  std::string body;                        ///< a refusal's body
};

/// Produces a request body piece by piece: calls `write` with each piece, and returns false to
/// abort, as it must when `write` returned false (the server went away, or the caller stopped).
using BodyWriter = std::function<bool(const std::function<bool(std::string_view)>& write)>;

/// An HTTP/1.1 client for one server: a unix socket (Docker's), a TCP host (in clear or over
/// TLS), or a command carrying the stream (ssh's dial-stdio). Connections are kept alive and
/// reused, one per request in flight, so requests may come from several threads. Every step has
/// a deadline.
///
/// Through a command, a connection is a process (an ssh session costs 100 ms or more to set
/// up), so reuse matters most there: requests made one after another share one process for the
/// whole session, and a request that finds every connection busy waits briefly for one to come
/// back before it starts another. Requests that overlap for longer (a parallel apply's stops
/// and waits) each get their own, so such a session may start a few processes; that is
/// accepted rather than queueing them behind one another for good. stream, upload and hijack
/// take a connection for themselves, as on a socket, and end their process when they finish.
class HttpClient {
 public:
  /// The largest answer exchange() reads into memory by default. Docker's few answers that
  /// can be larger (an image's tar, a container's logs) come through stream().
  static constexpr std::size_t kDefaultMaxAnswerBytes = std::size_t{256} << 20;

  /// `max_answer_bytes`: the largest body exchange() takes; a larger one is an error.
  HttpClient(Address address, std::chrono::milliseconds connect_timeout,
             std::size_t max_answer_bytes = kDefaultMaxAnswerBytes);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends `request` and reads its whole answer, connecting within the connect timeout and
  /// answering within `timeout` of the start. Any status is an answer; a body over
  /// max_answer_bytes is an error ("the answer from ... is larger than 256 MiB").
  ///
  /// A kept-alive connection that shows the server closed it while idle is not used. One the
  /// server closes as the request goes (a race with its idle timeout) is replaced once, unseen
  /// by the caller, when none of the request was sent or the method is idempotent (GET, HEAD,
  /// PUT, DELETE, OPTIONS). A POST whose bytes went is never sent twice: the error says it may
  /// have been received.
  std::variant<HttpAnswer, NetError> exchange(const HttpRequest& request,
                                              std::chrono::milliseconds timeout);

  /// Sends `request` on a connection of its own and passes the answer on as it arrives, with
  /// no total timeout: `on_head` once (return false to stop there), then `on_body` for each
  /// piece of the body, until the server ends it (returns nullopt) or `stop` is set (checked at
  /// least once a second; returns nullopt).
  std::optional<NetError> stream(const HttpRequest& request, const std::atomic<bool>& stop,
                                 const std::function<bool(const ResponseHead&)>& on_head,
                                 const std::function<void(std::string_view)>& on_body);

  /// Sends `request` (its head; its `body` is not used) with a body produced by `body`, as
  /// Transfer-Encoding: chunked, on a connection of its own, then passes the answer on as
  /// `stream` does. Nothing is held but one chunk: the body may be far larger than memory. No
  /// total timeout: the connect timeout, a deadline on each chunk sent, then `stop`, checked
  /// at each piece written and at least once a second while the answer comes (a server that
  /// stops reading holds a send, stop or not, until that deadline). When `stop` is set,
  /// the connection is closed (a server cancels what it was doing) and the call returns
  /// nullopt. An error when the body's writer gave up, a chunk could not be sent (unless the
  /// server answered first: an error answer often comes before the whole body is read), or
  /// the answer broke. Never retried.
  std::optional<NetError> upload(const HttpRequest& request, const BodyWriter& body,
                                 const std::atomic<bool>& stop,
                                 const std::function<bool(const ResponseHead&)>& on_head,
                                 const std::function<void(std::string_view)>& on_body);

  /// Sends `request` on a connection of its own with `Connection: Upgrade` and `Upgrade:
  /// protocol`, and reads the answer's head (a refusal: the whole answer) within `timeout`.
  /// On 101, or a 2xx (older Docker daemons answer 200 and then stream all the same), the
  /// connection is handed back as a HijackedStream with no deadline of its own. Never retried.
  std::variant<TakeoverAnswer, NetError> hijack(const HttpRequest& request,
                                                std::string_view protocol,
                                                std::chrono::milliseconds timeout);

 private:
  std::unique_ptr<Connection> open(Clock::time_point deadline, NetError& error) const;
  /// Counts an exchange in flight, and gives it an idle connection, or nullptr: open one.
  std::unique_ptr<Connection> begin_exchange(Clock::time_point deadline);
  /// Counts it out, keeping its connection for the next when it is still good.
  void end_exchange(std::unique_ptr<Connection> reusable);
  std::string host_header() const;
  /// Where the answers come from, for messages: the socket, host:port or command.
  std::string server_name() const;
  struct Attempt;
  /// Sends `bytes` on `connection` and reads the answer, once.
  Attempt try_exchange(Connection& connection, const HttpRequest& request, std::string_view bytes,
                       Clock::time_point deadline) const;

  Address address_;
  std::chrono::milliseconds connect_timeout_;
  std::size_t max_answer_bytes_;
  std::mutex idle_mutex_;
  std::condition_variable idle_returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t exchanges_ = 0;  // in flight
};

}  // namespace run::net
