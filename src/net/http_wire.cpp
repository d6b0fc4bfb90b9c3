#include "net/http_wire.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace run::net {

namespace {

/// A head larger than this is not an answer from Docker or a webhook receiver.
constexpr std::size_t kMaxHeadBytes = 64 * 1024;

bool same_without_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

/// Whether a comma-separated header value holds `token` (Connection: keep-alive, close).
bool lists_token(const std::optional<std::string>& value, std::string_view token) {
  if (!value) return false;
  std::string_view rest = *value;
  while (!rest.empty()) {
    std::size_t comma = std::min(rest.find(','), rest.size());
    if (same_without_case(trimmed(rest.substr(0, comma)), token)) return true;
    rest.remove_prefix(std::min(comma + 1, rest.size()));
  }
  return false;
}

/// The request line, Host and `headers`, each line ended, but not the blank line after them.
void append_head_lines(std::string& bytes, std::string_view method, std::string_view target,
                       std::string_view host, const std::vector<Header>& headers) {
  bytes.append(method)
      .append(" ")
      .append(target)
      .append(" HTTP/1.1\r\nHost: ")
      .append(host)
      .append("\r\n");
  for (const Header& header : headers)
    bytes.append(header.name).append(": ").append(header.value).append("\r\n");
}

}  // namespace

std::string request_bytes(std::string_view method, std::string_view target, std::string_view host,
                          const std::vector<Header>& headers, std::string_view body) {
  std::string bytes;
  bytes.reserve(128 + body.size());
  append_head_lines(bytes, method, target, host, headers);
  if (!body.empty() || method == "POST" || method == "PUT")
    bytes.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  bytes.append("\r\n").append(body);
  return bytes;
}

std::string chunked_request_head(std::string_view method, std::string_view target,
                                 std::string_view host, const std::vector<Header>& headers) {
  std::string bytes;
  append_head_lines(bytes, method, target, host, headers);
  bytes.append("Transfer-Encoding: chunked\r\n\r\n");
  return bytes;
}

std::string chunk_bytes(std::string_view data) {
  static const char* kHex = "0123456789abcdef";
  std::string size;
  for (std::size_t rest = data.size(); rest > 0; rest >>= 4)
    size.insert(size.begin(), kHex[rest & 15]);
  std::string bytes;
  bytes.reserve(size.size() + data.size() + 4);
  bytes.append(size).append("\r\n").append(data).append("\r\n");
  return bytes;
}

std::optional<std::string> ResponseHead::header(std::string_view name) const {
  for (const Header& header : headers)
    if (same_without_case(header.name, name)) return header.value;
  return std::nullopt;
}

ResponseParser::Step ResponseParser::fail(std::string why) {
  state_ = State::kBad;
  error_ = std::move(why);
  reusable_ = false;
  return Step::kMalformed;
}

ResponseParser::Step ResponseParser::feed(std::string_view bytes, const BodySink& on_body) {
  if (state_ == State::kBad) return Step::kMalformed;
  if (state_ == State::kDone) return Step::kDone;
  buffer_.append(bytes);
  if (state_ == State::kHead) {
    Step step = parse_head();
    if (step != Step::kDone) return step;
  }
  return parse_body(on_body);
}

ResponseParser::Step ResponseParser::parse_head() {
  while (true) {
    std::size_t end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (buffer_.size() > kMaxHeadBytes) return fail("a response head over 64 KiB");
      return Step::kNeedMore;
    }
    std::string_view head(buffer_.data(), end);
    std::size_t line_end = std::min(head.find("\r\n"), head.size());
    std::string_view status_line = head.substr(0, line_end);
    // "HTTP/1.1 200 OK": the version, a space, three digits.
    if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") || status_line[9 - 1] != ' ')
      return fail("not an HTTP/1.x status line: '" + std::string(status_line.substr(0, 40)) + "'");
    head_ = ResponseHead{};
    head_.minor_version = status_line[7] - '0';
    auto [ptr, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, head_.status);
    if (ec != std::errc() || ptr != status_line.data() + 12 || head_.status < 100)
      return fail("not an HTTP status: '" + std::string(status_line.substr(0, 40)) + "'");
    std::string_view rest = head.substr(std::min(line_end + 2, head.size()));
    while (!rest.empty()) {
      std::size_t next = std::min(rest.find("\r\n"), rest.size());
      std::string_view line = rest.substr(0, next);
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0)
        return fail("a header line without a name: '" + std::string(line.substr(0, 40)) + "'");
      head_.headers.push_back({std::string(trimmed(line.substr(0, colon))),
                               std::string(trimmed(line.substr(colon + 1)))});
      rest.remove_prefix(std::min(next + 2, rest.size()));
    }
    buffer_.erase(0, end + 4);
    if (head_.status >= 200 || (takeover_ == Takeover::kAsked && head_.status == 101)) break;
    // 100 Continue and friends: the real head follows.
  }
  if (takeover_ == Takeover::kAsked && (head_.status == 101 || head_.status / 100 == 2)) {
    // What follows is no HTTP body: the stream keeps the bytes, the connection is not reused.
    taken_over_ = true;
    state_ = State::kDone;
    reusable_ = false;
    return Step::kDone;
  }
  std::optional<std::string> encoding = head_.header("Transfer-Encoding");
  std::optional<std::string> length = head_.header("Content-Length");
  bool keep_alive = head_.minor_version >= 1
                        ? !lists_token(head_.header("Connection"), "close")
                        : lists_token(head_.header("Connection"), "keep-alive");
  reusable_ = keep_alive;
  if (no_body_ || head_.status == 204 || head_.status == 304) {
    state_ = State::kDone;
  } else if (encoding && lists_token(encoding, "chunked")) {
    state_ = State::kChunkSize;
  } else if (length) {
    std::string_view digits = trimmed(*length);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), remaining_);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
      return fail("Content-Length '" + *length + "' is not a number");
    state_ = remaining_ == 0 ? State::kDone : State::kFixedBody;
  } else {
    state_ = State::kUntilClose;
    reusable_ = false;
  }
  return Step::kDone;
}

ResponseParser::Step ResponseParser::parse_body(const BodySink& on_body) {
  std::size_t used = 0;
  auto take = [&](std::size_t count) {
    std::string_view bytes(buffer_.data() + used, count);
    used += count;
    return bytes;
  };
  while (state_ != State::kDone) {
    std::size_t available = buffer_.size() - used;
    if (state_ == State::kUntilClose || state_ == State::kFixedBody ||
        state_ == State::kChunkData) {
      std::size_t count =
          state_ == State::kUntilClose ? available : std::min(available, remaining_);
      if (count == 0) break;
      on_body(take(count));
      if (state_ == State::kUntilClose) continue;
      remaining_ -= count;
      if (remaining_ == 0)
        state_ = state_ == State::kFixedBody ? State::kDone : State::kChunkDataEnd;
      continue;
    }
    std::string_view pending(buffer_.data() + used, available);
    std::size_t line_end = pending.find("\r\n");
    if (line_end == std::string_view::npos) {
      if (available > 4096) return fail("a chunk line over 4 KiB");
      break;
    }
    std::string_view line = take(line_end + 2).substr(0, line_end);
    if (state_ == State::kChunkDataEnd) {
      if (!line.empty()) return fail("a chunk not followed by CRLF");
      state_ = State::kChunkSize;
    } else if (state_ == State::kChunkSize) {
      std::string_view digits = trimmed(line.substr(0, std::min(line.find(';'), line.size())));
      auto [ptr, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), remaining_, 16);
      if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
        return fail("a chunk size '" + std::string(line.substr(0, 20)) +
                    "' that is not hexadecimal");
      state_ = remaining_ == 0 ? State::kTrailers : State::kChunkData;
    } else if (state_ == State::kTrailers) {
      if (line.empty()) state_ = State::kDone;
    }
  }
  buffer_.erase(0, used);
  return state_ == State::kDone ? Step::kDone : Step::kNeedMore;
}

ResponseParser::Step ResponseParser::finish() {
  if (state_ == State::kDone) return Step::kDone;
  if (state_ == State::kBad) return Step::kMalformed;
  if (state_ == State::kUntilClose) {
    state_ = State::kDone;
    return Step::kDone;
  }
  return fail(state_ == State::kHead ? "the connection closed before a response"
                                     : "the connection closed in the middle of the response");
}

RequestParser::Step RequestParser::fail(std::string why) {
  error_ = std::move(why);
  return Step::kMalformed;
}

RequestParser::Step RequestParser::feed(std::string_view bytes) {
  buffer_.append(bytes);
  if (!head_done_) {
    Step step = parse_head();
    if (step != Step::kDone) return step;
  }
  if (buffer_.size() < body_length_) return Step::kNeedMore;
  request_.body = buffer_.substr(0, body_length_);
  buffer_.erase(0, body_length_);
  return Step::kDone;
}

RequestParser::Step RequestParser::parse_head() {
  constexpr std::size_t kMaxRequestHead = 8 * 1024;
  // Empty lines before a request are allowed (RFC 9112 2.2).
  while (buffer_.starts_with("\r\n")) buffer_.erase(0, 2);
  std::size_t end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (buffer_.size() > kMaxRequestHead) return Step::kTooLarge;
    return Step::kNeedMore;
  }
  if (end > kMaxRequestHead) return Step::kTooLarge;
  std::string_view head(buffer_.data(), end);
  std::size_t line_end = std::min(head.find("\r\n"), head.size());
  std::string_view line = head.substr(0, line_end);
  std::size_t first_space = line.find(' ');
  std::size_t second_space =
      first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) return fail("not a request line");
  std::string_view version = line.substr(second_space + 1);
  if (version.size() != 8 || !version.starts_with("HTTP/1.") ||
      !std::isdigit(static_cast<unsigned char>(version[7])))
    return fail("not HTTP/1.x");
  request_.method = std::string(line.substr(0, first_space));
  request_.target = std::string(line.substr(first_space + 1, second_space - first_space - 1));
  if (request_.method.empty() || request_.target.empty()) return fail("not a request line");
  request_.path = request_.target.substr(0, request_.target.find('?'));
  request_.minor_version = version[7] - '0';
  std::string_view rest = head.substr(std::min(line_end + 2, head.size()));
  while (!rest.empty()) {
    std::size_t next = std::min(rest.find("\r\n"), rest.size());
    std::string_view header = rest.substr(0, next);
    std::size_t colon = header.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail("a header line without a name");
    request_.headers.push_back({std::string(trimmed(header.substr(0, colon))),
                                std::string(trimmed(header.substr(colon + 1)))});
    rest.remove_prefix(std::min(next + 2, rest.size()));
  }
  buffer_.erase(0, end + 4);
  head_done_ = true;
  auto header = [this](std::string_view name) -> std::optional<std::string> {
    for (const Header& each : request_.headers)
      if (same_without_case(each.name, name)) return each.value;
    return std::nullopt;
  };
  std::optional<std::string> connection = header("Connection");
  request_.keep_alive = request_.minor_version >= 1 ? !lists_token(connection, "close")
                                                    : lists_token(connection, "keep-alive");
  if (header("Transfer-Encoding")) return fail("a chunked request body");
  if (std::optional<std::string> length = header("Content-Length")) {
    std::string_view digits = trimmed(*length);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), body_length_);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
      return fail("a Content-Length that is not a number");
    if (body_length_ > max_body_) return Step::kTooLarge;
  }
  return Step::kDone;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::string response_bytes(int status, const std::vector<Header>& headers, std::string_view body,
                           bool head_only, bool keep_alive) {
  std::string bytes =
      "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
  for (const Header& header : headers)
    bytes.append(header.name).append(": ").append(header.value).append("\r\n");
  bytes.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  if (!keep_alive) bytes.append("Connection: close\r\n");
  bytes.append("\r\n");
  if (!head_only) bytes.append(body);
  return bytes;
}

}  // namespace run::net
