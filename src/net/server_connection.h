#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

#include "net/http_wire.h"
#include "net/server_limits.h"

namespace run::net {

/// One client connection of HttpServer, as its reader holds it between answers: the request
/// arriving and the one deadline by which all of it must have arrived. Owns the socket: it is
/// closed with the connection. Pure but for that close, so the deadlines are tested without
/// a socket.
class ServerConnection {
 public:
  using Clock = std::chrono::steady_clock;

  /// Accepted at `now`: waits for its first request.
  ServerConnection(int fd, const ServerLimits& limits, Clock::time_point now);
  ~ServerConnection();
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  int fd() const { return fd_; }

  /// Bytes of the request received at `now`; the first of them starts the request's deadline.
  RequestParser::Step receive(std::string_view bytes, Clock::time_point now);
  /// kNeedMore until the request has arrived whole (or is malformed or too large).
  RequestParser::Step step() const { return step_; }
  const RequestParser& parser() const { return parser_; }

  /// After the answer, sent at `now`: counts it, then reads the next request, starting with
  /// the bytes already received past this one (pipelined), which may complete it at once.
  void next_request(Clock::time_point now);
  /// Whether the answer being sent may leave the connection open for another request.
  bool may_keep_alive() const { return answered_ + 1 < limits_.keep_alive_max; }

  /// Past it, the connection is closed: keep_alive_timeout after it became idle, or
  /// read_timeout after the first byte of the request.
  Clock::time_point deadline() const { return deadline_; }
  /// Whether a byte of the next request has arrived.
  bool began() const { return began_; }
  /// When it became idle, or when its request began.
  Clock::time_point since() const { return since_; }

 private:
  void begin(Clock::time_point now);

  int fd_;
  const ServerLimits& limits_;
  RequestParser parser_;
  RequestParser::Step step_ = RequestParser::Step::kNeedMore;
  std::size_t answered_ = 0;
  bool began_ = false;
  Clock::time_point since_;
  Clock::time_point deadline_;
};

/// Whether `a` is to be closed before `b` to make room for a new connection: idle ones first,
/// the one idle the longest first; then the one whose request began the longest ago.
bool closes_before(const ServerConnection& a, const ServerConnection& b);

}  // namespace run::net
