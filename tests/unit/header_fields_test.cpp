#include <doctest/doctest.h>

#include <string>

#include "net/header_fields.h"

// The header lines of a head, read once for both the request and the response readers.

namespace run::net {

namespace {

/// Why `lines` are refused, or "" when they are read.
std::string refusal(const std::string& lines) {
  HeaderFields fields;
  return read_header_fields(lines, fields).value_or("");
}

HeaderFields read(const std::string& lines) {
  HeaderFields fields;
  std::optional<std::string> bad = read_header_fields(lines, fields);
  CHECK_MESSAGE(!bad, bad.value_or(""));
  return fields;
}

}  // namespace

TEST_CASE("header fields: names and values are kept, the value's spaces and tabs trimmed") {
  HeaderFields fields = read("Api-Version: 1.41\r\nX-Empty:\r\nX-Spaced: \t a  b \t");
  REQUIRE(fields.headers.size() == 3);
  CHECK(fields.headers[0].name == "Api-Version");
  CHECK(fields.headers[0].value == "1.41");
  CHECK(fields.headers[1].value == "");
  CHECK(fields.headers[2].value == "a  b");
  CHECK(find_header(fields.headers, "api-version") == "1.41");
  CHECK(fields.framing == BodyFraming::kUnstated);
  CHECK(read("").headers.empty());
}

TEST_CASE("header fields: a line without a name, a folded line or a bad name is refused") {
  CHECK(refusal("no colon here").starts_with("a header line without a name"));
  CHECK(refusal(": value").starts_with("a header line without a name"));
  CHECK(refusal("X-A: a\r\n  continued").starts_with("a folded header line (obs-fold)"));
  CHECK(refusal("X-A: a\r\n\tcontinued").starts_with("a folded header line (obs-fold)"));
  CHECK(refusal(" X-A: a").starts_with("a folded header line (obs-fold)"));
  // A space before the colon: another reader may take "Content-Length " for another name.
  CHECK(refusal("Content-Length : 5").starts_with("a header name that is not a token"));
  CHECK(refusal("X(A): 1").starts_with("a header name that is not a token"));
}

TEST_CASE("header fields: a control character in a value is refused, a tab is not") {
  CHECK(refusal("X-A: a\rb").starts_with("a control character in the value of 'X-A'"));
  CHECK(refusal("X-A: a\nInjected: 1").starts_with("a control character"));
  CHECK(refusal(std::string("X-A: a\0b", 8)).starts_with("a control character"));
  CHECK(read("X-A: a\tb").headers[0].value == "a\tb");
}

TEST_CASE("header fields: more than the line limit is refused") {
  std::string lines;
  for (std::size_t i = 0; i < kMaxHeaderLines; ++i) lines += "X-" + std::to_string(i) + ": v\r\n";
  CHECK(read(lines).headers.size() == kMaxHeaderLines);
  CHECK(refusal(lines + "X-Last: v") == "more than 128 header lines");
}

TEST_CASE("header fields: Content-Length is one decimal length") {
  HeaderFields fields = read("content-length: 42");
  CHECK(fields.framing == BodyFraming::kLength);
  CHECK(fields.content_length == 42);
  CHECK(read("Content-Length: 0").framing == BodyFraming::kLength);
  CHECK(read("Content-Length: 7\r\nContent-Length: 7").content_length == 7);
  CHECK(refusal("Content-Length: 7\r\nContent-Length: 8") ==
        "two different Content-Length headers");
  for (std::string bad : {"ten", "-1", "+1", "1 2", "5, 5", "0x10", "", "99999999999999999999999"})
    CHECK(refusal("Content-Length: " + bad) == "Content-Length '" + bad + "' is not a length");
}

TEST_CASE("header fields: Transfer-Encoding is chunked once, and never with Content-Length") {
  CHECK(read("Transfer-Encoding: Chunked").framing == BodyFraming::kChunked);
  CHECK(
      refusal("Transfer-Encoding: gzip, chunked").starts_with("Transfer-Encoding 'gzip, chunked'"));
  CHECK(refusal("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked")
            .starts_with("Transfer-Encoding 'chunked' (only one"));
  CHECK(refusal("Content-Length: 3\r\nTransfer-Encoding: chunked") ==
        "both Content-Length and Transfer-Encoding");
  CHECK(refusal("Transfer-Encoding: chunked\r\nContent-Length: 3") ==
        "both Content-Length and Transfer-Encoding");
}

TEST_CASE("header fields: Connection's close and keep-alive are found in its list") {
  CHECK(read("Connection: Upgrade, Close").connection_close);
  CHECK_FALSE(read("Connection: closed").connection_close);
  CHECK(read("Connection: keep-alive").keep_alive);
  CHECK_FALSE(read("X-Connection: close").connection_close);
}

}  // namespace run::net
