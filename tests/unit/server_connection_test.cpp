#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>

#include "net/server_connection.h"

// A server connection's deadlines and the order in which connections make room, without a
// socket: time is passed in.

namespace run::net {

namespace {

using namespace std::chrono_literals;
using Clock = ServerConnection::Clock;

ServerLimits limits_for_test() {
  ServerLimits limits;
  limits.keep_alive_timeout = 5s;
  limits.read_timeout = 2s;
  limits.keep_alive_max = 2;
  return limits;
}

/// A descriptor of its own for each connection (it closes it): the read end of a pipe.
int descriptor() {
  int ends[2];
  REQUIRE(pipe(ends) == 0);
  close(ends[1]);
  return ends[0];
}

}  // namespace

TEST_CASE("server connection: idle, it has keep_alive_timeout for the first byte") {
  ServerLimits limits = limits_for_test();
  Clock::time_point start{};
  ServerConnection connection(descriptor(), limits, start);
  CHECK_FALSE(connection.began());
  CHECK(connection.deadline() == start + 5s);
}

TEST_CASE(
    "server connection: the request's deadline is read_timeout after its first byte, and later "
    "bytes do not move it") {
  ServerLimits limits = limits_for_test();
  Clock::time_point start{};
  ServerConnection connection(descriptor(), limits, start);
  CHECK(connection.receive("G", start + 1s) == RequestParser::Step::kNeedMore);
  CHECK(connection.began());
  CHECK(connection.deadline() == start + 3s);
  CHECK(connection.receive("ET / HTTP/1.1\r\n", start + 2s) == RequestParser::Step::kNeedMore);
  CHECK(connection.deadline() == start + 3s);
  CHECK(connection.receive("\r\n", start + 2500ms) == RequestParser::Step::kDone);
  CHECK(connection.parser().request().path == "/");
}

TEST_CASE("server connection: the body arrives within the same deadline as the head") {
  ServerLimits limits = limits_for_test();
  Clock::time_point start{};
  ServerConnection connection(descriptor(), limits, start);
  connection.receive("POST /hook HTTP/1.1\r\nContent-Length: 4\r\n\r\n", start);
  CHECK(connection.step() == RequestParser::Step::kNeedMore);
  CHECK(connection.receive("ab", start + 1s) == RequestParser::Step::kNeedMore);
  CHECK(connection.deadline() == start + 2s);
  CHECK(connection.receive("cd", start + 1500ms) == RequestParser::Step::kDone);
  CHECK(connection.parser().request().body == "abcd");
}

TEST_CASE(
    "server connection: after an answer it is idle again, unless the next request was "
    "pipelined") {
  ServerLimits limits = limits_for_test();
  Clock::time_point start{};
  ServerConnection idle(descriptor(), limits, start);
  idle.receive("GET /a HTTP/1.1\r\n\r\n", start);
  CHECK(idle.may_keep_alive());
  idle.next_request(start + 1s);
  CHECK_FALSE(idle.began());
  CHECK(idle.step() == RequestParser::Step::kNeedMore);
  CHECK(idle.deadline() == start + 6s);
  CHECK_FALSE(idle.may_keep_alive());  // the second answer is the last (keep_alive_max 2)

  ServerConnection pipelined(descriptor(), limits, start);
  pipelined.receive("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", start);
  pipelined.next_request(start + 1s);
  CHECK(pipelined.step() == RequestParser::Step::kDone);
  CHECK(pipelined.parser().request().path == "/b");
}

TEST_CASE(
    "server connection: room is made by closing the idle one idle the longest, then the "
    "request begun the longest ago") {
  ServerLimits limits = limits_for_test();
  Clock::time_point start{};
  ServerConnection idle_long(descriptor(), limits, start);
  ServerConnection idle_short(descriptor(), limits, start + 1s);
  ServerConnection begun_long(descriptor(), limits, start);
  begun_long.receive("G", start + 2s);
  ServerConnection begun_short(descriptor(), limits, start);
  begun_short.receive("G", start + 3s);
  CHECK(closes_before(idle_long, idle_short));
  CHECK_FALSE(closes_before(idle_short, idle_long));
  CHECK(closes_before(idle_short, begun_long));
  CHECK_FALSE(closes_before(begun_long, idle_long));
  CHECK(closes_before(begun_long, begun_short));
}

}  // namespace run::net
