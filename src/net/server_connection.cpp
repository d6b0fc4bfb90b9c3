#include "net/server_connection.h"

#include <unistd.h>

namespace run::net {

ServerConnection::ServerConnection(int fd, const ServerLimits& limits, Clock::time_point now)
    : fd_(fd),
      limits_(limits),
      parser_(limits.max_body),
      since_(now),
      deadline_(now + limits.keep_alive_timeout) {}

ServerConnection::~ServerConnection() { close(fd_); }

RequestParser::Step ServerConnection::receive(std::string_view bytes, Clock::time_point now) {
  if (!began_ && !bytes.empty()) begin(now);
  step_ = parser_.feed(bytes);
  return step_;
}

void ServerConnection::next_request(Clock::time_point now) {
  ++answered_;
  std::string pipelined = parser_.leftover();
  parser_ = RequestParser(limits_.max_body);
  step_ = RequestParser::Step::kNeedMore;
  began_ = false;
  since_ = now;
  deadline_ = now + limits_.keep_alive_timeout;
  if (!pipelined.empty()) receive(pipelined, now);
}

void ServerConnection::begin(Clock::time_point now) {
  // The deadline is set once, here, and never moved by the bytes that follow.
  began_ = true;
  since_ = now;
  deadline_ = now + limits_.read_timeout;
}

bool closes_before(const ServerConnection& a, const ServerConnection& b) {
  if (a.began() != b.began()) return !a.began();
  return a.since() < b.since();
}

}  // namespace run::net
