#include <doctest/doctest.h>

#include "docker/container_logs.h"
#include "docker/log_stream.h"
#include "fake_docker_api.h"

// Docker's multiplexed log stream taken apart as it arrives, and a container's logs read
// through a fake DockerApi.

namespace run::docker {

namespace {

/// One frame: the 8-byte header (stream, three zero bytes, big-endian length) and `payload`.
std::string frame(unsigned char stream, std::string_view payload) {
  std::string bytes = {static_cast<char>(stream), 0, 0, 0};
  std::size_t length = payload.size();
  for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((length >> shift) & 0xff);
  return bytes + std::string(payload);
}

/// Feeds `bytes` in pieces of `piece` bytes and then ends the stream: every record.
std::vector<LogRecord> demultiplexed(const std::string& bytes, std::size_t piece,
                                     std::size_t max_line = kMaxLogLine) {
  LogDemultiplexer demultiplexer(max_line);
  std::vector<LogRecord> records;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    Result<std::vector<LogRecord>> fed =
        demultiplexer.feed(std::string_view(bytes).substr(at, piece));
    REQUIRE(fed);
    records.insert(records.end(), fed->begin(), fed->end());
  }
  std::vector<LogRecord> rest = demultiplexer.finish();
  records.insert(records.end(), rest.begin(), rest.end());
  return records;
}

const LogStream kOut = LogStream::kStdout;
const LogStream kErr = LogStream::kStderr;

}  // namespace

TEST_CASE("log stream: frames split at every byte give the same lines as whole ones") {
  std::string bytes = frame(1, "one\ntwo\n") + frame(2, "oops\n") + frame(1, "three\n");
  std::vector<LogRecord> expected = {{kOut, "one"}, {kOut, "two"}, {kErr, "oops"}, {kOut, "three"}};
  for (std::size_t piece = 1; piece <= bytes.size(); ++piece) {
    CAPTURE(piece);
    CHECK(demultiplexed(bytes, piece) == expected);
  }
}

TEST_CASE("log stream: a frame holding several lines passes each, CRLF ends taken off") {
  CHECK(demultiplexed(frame(1, "a\r\nb\n\nc\n"), 1000) ==
        std::vector<LogRecord>{{kOut, "a"}, {kOut, "b"}, {kOut, ""}, {kOut, "c"}});
}

TEST_CASE("log stream: a line across frames is one line, each stream keeping its own") {
  std::string bytes = frame(1, "hel") + frame(2, "warn") + frame(1, "lo\n") + frame(2, "ing\n");
  CHECK(demultiplexed(bytes, 3) == std::vector<LogRecord>{{kOut, "hello"}, {kErr, "warning"}});
}

TEST_CASE("log stream: an unfinished line is passed at the end; stdin counts as stdout") {
  CHECK(demultiplexed(frame(0, "in\n") + frame(2, "no end") + frame(1, "last"), 5) ==
        std::vector<LogRecord>{{kOut, "in"}, {kOut, "last"}, {kErr, "no end"}});
}

TEST_CASE("log stream: an empty frame is skipped") {
  CHECK(demultiplexed(frame(1, "") + frame(1, "x\n"), 2) == std::vector<LogRecord>{{kOut, "x"}});
}

TEST_CASE("log stream: a line longer than the limit is cut into pieces of the limit") {
  CHECK(demultiplexed(frame(1, "abcdefghij\nxy\n"), 3, 4) ==
        std::vector<LogRecord>{{kOut, "abcd"}, {kOut, "efgh"}, {kOut, "ij"}, {kOut, "xy"}});
  std::string endless(3 * kMaxLogLine + 5, 'z');
  std::vector<LogRecord> records = demultiplexed(frame(1, endless), 4096);
  REQUIRE(records.size() == 4);
  CHECK(records[0].line.size() == kMaxLogLine);
  CHECK(records[3].line == "zzzzz");
}

TEST_CASE("log stream: a malformed header is an error, and stays one") {
  LogDemultiplexer demultiplexer;
  Result<std::vector<LogRecord>> fed = demultiplexer.feed("2024-05-01T10:00:00Z raw tty output\n");
  REQUIRE_FALSE(fed);
  CHECK(fed.errors().front().message ==
        "malformed log stream from Docker: a frame header with stream byte 50");
  CHECK_FALSE(demultiplexer.feed(frame(1, "fine\n")));
  std::string padded = frame(1, "x\n");
  padded[2] = 1;
  CHECK_FALSE(LogDemultiplexer().feed(padded));
}

TEST_CASE("log stream: a huge declared length allocates nothing up front") {
  LogDemultiplexer demultiplexer(8);
  std::string header = {1, 0, 0, 0, '\xff', '\xff', '\xff', '\xff'};
  Result<std::vector<LogRecord>> fed = demultiplexer.feed(header + std::string(20, 'a'));
  REQUIRE(fed);
  CHECK(fed->size() == 2);  // two cut pieces of 8; the rest waits
}

TEST_CASE("log stream: the daemon's own error (stream 3) is an error with its message") {
  Result<std::vector<LogRecord>> fed =
      LogDemultiplexer().feed(frame(1, "ok\n") + frame(3, "container gone"));
  REQUIRE_FALSE(fed);
  CHECK(fed.errors().front().message == "Docker broke off the log stream: container gone");
}

TEST_CASE("container logs: an RFC 3339 time with a zone and a fraction is read to the ns") {
  CHECK(parse_rfc3339_ns("1970-01-01T00:00:01Z") == 1'000'000'000);
  CHECK(parse_rfc3339_ns("2024-05-01T12:00:00.5+02:00") ==
        parse_rfc3339_ns("2024-05-01T10:00:00.500000000Z"));
  CHECK(parse_rfc3339_ns("2024-05-01T10:00:00.123456789Z") == 1714557600123456789);
  CHECK_FALSE(parse_rfc3339_ns("2024-05-01"));
  CHECK_FALSE(parse_rfc3339_ns("2024-05-01T10:00:00"));
  CHECK_FALSE(parse_rfc3339_ns("2024-02-30T10:00:00Z"));
  CHECK_FALSE(parse_rfc3339_ns("10m"));
}

TEST_CASE("container logs: read with timestamps, tail and since; the time taken off each line") {
  test::FakeDockerApi api;
  std::string body = frame(1, "2024-05-01T10:00:00.000000001Z hello\n2024-05-01T10:00:01") +
                     frame(1, ".000000000Z world\n") + frame(2, "2024-05-01T10:00:02Z oops\n");
  api.answer_get_stream("/containers/c1/logs", 200, {body.substr(0, 7), body.substr(7)});
  Result<std::vector<LogLine>> lines =
      read_container_logs(api, "c1", LogRequest{3, 1'000'000'000'500'000'000});
  REQUIRE(lines);
  REQUIRE(lines->size() == 3);
  CHECK((*lines)[0] ==
        LogLine{kOut, "2024-05-01T10:00:00.000000001Z", 1714557600000000001, "hello"});
  CHECK((*lines)[1].text == "world");
  CHECK((*lines)[2].stream == kErr);
  CHECK(api.recorded().back().path ==
        "/containers/c1/logs?stdout=1&stderr=1&timestamps=1&tail=3&since=1000000000.500000000");
}

TEST_CASE("container logs: an unknown container is Docker's error") {
  test::FakeDockerApi api;
  api.answer_get_stream("/containers/gone/logs", 404, {R"({"message":"No such container: gone"})"});
  Result<std::vector<LogLine>> lines = read_container_logs(api, "gone", {});
  REQUIRE_FALSE(lines);
  CHECK(lines.errors().front().message.find("No such container: gone") != std::string::npos);
}

}  // namespace run::docker
