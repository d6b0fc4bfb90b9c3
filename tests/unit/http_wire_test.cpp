#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "net/http_wire.h"

// HTTP/1.1 as bytes: the request run sends, and the response reader fed as a socket would
// feed it (whole, byte by byte, in odd pieces).

namespace run::net {

namespace {

struct Parsed {
  ResponseParser::Step step = ResponseParser::Step::kNeedMore;
  std::string body;
  ResponseParser parser;
};

/// How long `work` takes, in seconds.
template <typename Work>
double seconds_of(Work work) {
  auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Feeds `bytes` in pieces of `piece` bytes; `closed` ends with the server closing.
Parsed parse(const std::string& bytes, std::size_t piece, bool closed = false,
             bool head_request = false) {
  Parsed parsed{ResponseParser::Step::kNeedMore, {}, ResponseParser(head_request)};
  auto sink = [&](std::string_view part) { parsed.body.append(part); };
  for (std::size_t at = 0; at < bytes.size() && parsed.step == ResponseParser::Step::kNeedMore;
       at += piece)
    parsed.step = parsed.parser.feed(std::string_view(bytes).substr(at, piece), sink);
  if (closed && parsed.step == ResponseParser::Step::kNeedMore)
    parsed.step = parsed.parser.finish();
  return parsed;
}

}  // namespace

TEST_CASE(
    "a request has its line, Host, headers, and a length only with a body or for POST and PUT") {
  CHECK(request_bytes("GET", "/_ping", "docker", {}, "") ==
        "GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n");
  CHECK(request_bytes("POST", "/containers/x/start", "docker", {}, "") ==
        "POST /containers/x/start HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\n\r\n");
  CHECK(request_bytes("POST", "/c", "h:80", {{"Content-Type", "application/json"}}, "{}") ==
        "POST /c HTTP/1.1\r\nHost: h:80\r\nContent-Type: application/json\r\nContent-Length: "
        "2\r\n\r\n{}");
}

TEST_CASE("a body framed by Content-Length is read whole however it arrives") {
  std::string bytes =
      "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\ncontent-length: 11\r\n\r\nhello world";
  for (std::size_t piece : {bytes.size(), std::size_t{1}, std::size_t{7}}) {
    CAPTURE(piece);
    Parsed parsed = parse(bytes, piece);
    CHECK(parsed.step == ResponseParser::Step::kDone);
    CHECK(parsed.body == "hello world");
    CHECK(parsed.parser.head().status == 200);
    CHECK(parsed.parser.head().header("API-VERSION") == "1.41");
    CHECK(parsed.parser.reusable());
  }
}

TEST_CASE("a chunked body is decoded, extensions and trailers skipped") {
  std::string bytes =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n "
      "world\r\n0\r\nX-Trailer: t\r\n\r\n";
  for (std::size_t piece : {bytes.size(), std::size_t{1}, std::size_t{3}}) {
    CAPTURE(piece);
    Parsed parsed = parse(bytes, piece);
    CHECK(parsed.step == ResponseParser::Step::kDone);
    CHECK(parsed.body == "hello world");
    CHECK(parsed.parser.reusable());
  }
}

TEST_CASE("a body with no length runs until the server closes, and the connection is not reused") {
  Parsed open = parse("HTTP/1.0 200 OK\r\n\r\nsome text", 4);
  CHECK(open.step == ResponseParser::Step::kNeedMore);
  Parsed closed = parse("HTTP/1.0 200 OK\r\n\r\nsome text", 4, true);
  CHECK(closed.step == ResponseParser::Step::kDone);
  CHECK(closed.body == "some text");
  CHECK_FALSE(closed.parser.reusable());
}

TEST_CASE("no body after 204, 304 or a HEAD request; 1xx heads are skipped") {
  CHECK(parse("HTTP/1.1 204 No Content\r\n\r\n", 100).step == ResponseParser::Step::kDone);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 100, false, true).step ==
        ResponseParser::Step::kDone);
  Parsed continued =
      parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", 5);
  CHECK(continued.step == ResponseParser::Step::kDone);
  CHECK(continued.parser.head().status == 201);
  CHECK(continued.body == "ok");
}

TEST_CASE("Connection: close, or HTTP/1.0 without keep-alive, ends the connection's use") {
  CHECK_FALSE(parse("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n", 100)
                  .parser.reusable());
  CHECK_FALSE(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 100).parser.reusable());
  CHECK(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", 100)
            .parser.reusable());
}

TEST_CASE("what is not HTTP, or is cut short, is malformed with a reason") {
  Parsed garbage = parse("SSH-2.0-OpenSSH\r\n\r\n", 100);
  CHECK(garbage.step == ResponseParser::Step::kMalformed);
  CHECK(garbage.parser.error().find("not an HTTP/1.x status line") != std::string::npos);
  CHECK(parse("HTTP/1.1 abc OK\r\n\r\n", 100).step == ResponseParser::Step::kMalformed);
  CHECK(parse("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", 100).step ==
        ResponseParser::Step::kMalformed);
  CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", 100).step ==
        ResponseParser::Step::kMalformed);
  CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100).step ==
        ResponseParser::Step::kMalformed);
  Parsed truncated = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 100, true);
  CHECK(truncated.step == ResponseParser::Step::kMalformed);
  CHECK(truncated.parser.error() == "the connection closed in the middle of the response");
  CHECK(parse("", 1, true).parser.error() == "the connection closed before a response");
  CHECK(parse(std::string(70 * 1024, 'x'), 4096).step == ResponseParser::Step::kMalformed);
}

TEST_CASE(
    "a request is read with its path, headers and body, and whether the connection stays open") {
  RequestParser parser(100);
  std::string bytes =
      "\r\nPOST /metrics?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n";
  RequestParser::Step step = RequestParser::Step::kNeedMore;
  for (char byte : bytes)
    if (step == RequestParser::Step::kNeedMore) step = parser.feed(std::string_view(&byte, 1));
  CHECK(step == RequestParser::Step::kDone);
  CHECK(parser.request().method == "POST");
  CHECK(parser.request().target == "/metrics?x=1");
  CHECK(parser.request().path == "/metrics");
  CHECK(parser.request().body == "abc");
  CHECK(parser.request().keep_alive);

  RequestParser whole(100);
  CHECK(whole.feed(bytes) == RequestParser::Step::kDone);
  CHECK(whole.leftover() == "GET / HTTP/1.1\r\n");

  RequestParser closing(100);
  CHECK(closing.feed("GET / HTTP/1.1\r\nConnection: close\r\n\r\n") == RequestParser::Step::kDone);
  CHECK_FALSE(closing.request().keep_alive);
  RequestParser old(100);
  CHECK(old.feed("GET / HTTP/1.0\r\n\r\n") == RequestParser::Step::kDone);
  CHECK_FALSE(old.request().keep_alive);
}

TEST_CASE("a request that is not HTTP, is chunked or is too large is refused") {
  CHECK(RequestParser(100).feed("hello there\r\n\r\n") == RequestParser::Step::kMalformed);
  CHECK(RequestParser(100).feed("GET / SPDY/3\r\n\r\n") == RequestParser::Step::kMalformed);
  CHECK(RequestParser(100).feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") ==
        RequestParser::Step::kMalformed);
  CHECK(RequestParser(100).feed("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n") ==
        RequestParser::Step::kTooLarge);
  CHECK(RequestParser(100).feed("GET /" + std::string(9000, 'a')) ==
        RequestParser::Step::kTooLarge);
}

TEST_CASE("a response carries its length, and for HEAD only the length") {
  CHECK(response_bytes(200, {{"Content-Type", "text/plain"}}, "ok\n", false, true) ==
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n");
  CHECK(response_bytes(404, {}, "gone", true, false) ==
        "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nConnection: close\r\n\r\n");
}

TEST_CASE("a takeover asked for ends the response at a 101 or 2xx head; the rest is the stream") {
  for (std::string status : {"101 UPGRADED", "200 OK"}) {
    std::string bytes = "HTTP/1.1 " + status + "\r\nUpgrade: tcp\r\n\r\n\x01raw";
    ResponseParser parser(false, Takeover::kAsked);
    std::string body;
    CHECK(parser.feed(bytes, [&](std::string_view part) { body.append(part); }) ==
          ResponseParser::Step::kDone);
    CHECK(parser.taken_over());
    CHECK(parser.stream_bytes() == "\x01raw");
    CHECK(body.empty());
    CHECK(!parser.reusable());
  }
  ResponseParser refused(false, Takeover::kAsked);
  std::string body;
  CHECK(refused.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}",
                     [&](std::string_view part) { body.append(part); }) ==
        ResponseParser::Step::kDone);
  CHECK(!refused.taken_over());
  CHECK(body == "{}");
  ResponseParser not_asked;
  CHECK(not_asked.feed("HTTP/1.1 101 Switching\r\n\r\n", [](std::string_view) {}) ==
        ResponseParser::Step::kNeedMore);  // an informational head, skipped as before
  CHECK(!not_asked.taken_over());
}

TEST_CASE("both readers refuse what the header reader refuses, with its reason") {
  Parsed folded = parse("HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 0\r\n\r\n", 100);
  CHECK(folded.step == ResponseParser::Step::kMalformed);
  CHECK(folded.parser.error().starts_with("a folded header line (obs-fold)"));
  Parsed smuggled = parse(
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 100);
  CHECK(smuggled.parser.error() == "both Content-Length and Transfer-Encoding");
  RequestParser request(100);
  CHECK(request.feed("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") ==
        RequestParser::Step::kMalformed);
  CHECK(request.error() == "two different Content-Length headers");
}

TEST_CASE("a status line is the version, a space, three digits, and a space before a reason") {
  CHECK(parse("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 100).step ==
        ResponseParser::Step::kDone);
  for (std::string bad : {"HTTP/1.1 2000 OK", "HTTP/1.x 200 OK", "HTTP/1.1 099 Odd",
                          "HTTP/1.1 -20 OK", "HTTP/1.1  200 OK"}) {
    CAPTURE(bad);
    CHECK(parse(bad + "\r\nContent-Length: 0\r\n\r\n", 100).step ==
          ResponseParser::Step::kMalformed);
  }
}

TEST_CASE("a request line's method and target are visible ASCII") {
  CHECK(RequestParser(100).feed("G\x01T / HTTP/1.1\r\n\r\n") == RequestParser::Step::kMalformed);
  CHECK(RequestParser(100).feed("GET /a\tb HTTP/1.1\r\n\r\n") == RequestParser::Step::kMalformed);
  CHECK(RequestParser(100).feed("GET /a\x7f HTTP/1.1\r\n\r\n") == RequestParser::Step::kMalformed);
}

// Each of these was quadratic before its fix, measured at -O2: 119 s for the 64 KiB of CR
// byte by byte, 4 s for the 1 MiB of 1xx heads, 0.7 s for 64 Ki blank lines (here 256 Ki);
// linear, each takes milliseconds.
TEST_CASE("a response head that arrives byte by byte is not searched again from its start") {
  std::string carriage_returns(64 * 1024, '\r');
  double taken = seconds_of([&] {
    Parsed parsed = parse(carriage_returns + "x", 1);
    CHECK(parsed.step == ResponseParser::Step::kMalformed);
    CHECK(parsed.parser.error() == "a response head over 64 KiB");
  });
  CHECK(taken < 0.5);
  std::string head =
      "HTTP/1.1 200 OK\r\n" + std::string(60 * 1024, 'h') + ": v\r\nContent-Length: 0\r\n\r\n";
  taken = seconds_of([&] { CHECK(parse(head, 1).step == ResponseParser::Step::kDone); });
  CHECK(taken < 0.5);
}

TEST_CASE("many 1xx heads in one piece are read without moving the rest for each") {
  std::string heads;
  while (heads.size() < 1024 * 1024) heads += "HTTP/1.1 100 Continue\r\n\r\n";
  double taken = seconds_of([&] {
    Parsed parsed =
        parse(heads + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", heads.size() + 64);
    CHECK(parsed.step == ResponseParser::Step::kDone);
    CHECK(parsed.body == "ok");
  });
  CHECK(taken < 0.5);
}

TEST_CASE("empty lines before a request go at once, and its head may arrive byte by byte") {
  std::string blank_lines;
  for (int i = 0; i < 256 * 1024; ++i) blank_lines += "\r\n";
  RequestParser parser(100);
  double taken = seconds_of([&] {
    CHECK(parser.feed(blank_lines + "GET / HTTP/1.1\r\n\r\n") == RequestParser::Step::kDone);
  });
  CHECK(taken < 0.5);
  CHECK(parser.request().path == "/");
  RequestParser bytewise(100);
  std::string head = "GET / HTTP/1.1\r\nX-A: " + std::string(8000, '\r');
  RequestParser::Step step = RequestParser::Step::kNeedMore;
  taken = seconds_of([&] {
    for (char byte : head) step = bytewise.feed(std::string_view(&byte, 1));
  });
  CHECK(step == RequestParser::Step::kNeedMore);
  CHECK(taken < 0.5);
}

TEST_CASE("trailers are skipped, but not without end") {
  std::string bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  for (int i = 0; i < 2000; ++i) bytes += "X-Trailer: " + std::string(40, 't') + "\r\n";
  Parsed parsed = parse(bytes, 4096);
  CHECK(parsed.step == ResponseParser::Step::kMalformed);
  CHECK(parsed.parser.error() == "trailers over 64 KiB");
}

}  // namespace run::net
