#include "net/http_wire.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace run::net {

namespace {

/// A head larger than this is not an answer from Docker or a webhook receiver.
constexpr std::size_t kMaxHeadBytes = 64 * 1024;
/// A request head larger than this is not for run's few endpoints.
constexpr std::size_t kMaxRequestHead = 8 * 1024;
/// A line of a chunked body (a size, a trailer) longer than this is not one.
constexpr std::size_t kMaxChunkLine = 4096;
constexpr std::string_view kHeadEnd = "\r\n\r\n";

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// Where the blank line that ends a head starts in `buffer`, from `from` on, or npos. Then
/// `searched` is where the next search may resume: the head's end cannot start before the
/// last three bytes already looked at, so bytes that arrive one by one are each looked at a
/// bounded number of times.
std::size_t find_head_end(std::string_view buffer, std::size_t from, std::size_t& searched) {
  std::size_t end = buffer.find(kHeadEnd, from);
  searched = end != std::string_view::npos
                 ? end
                 : std::max(from, buffer.size() >= 3 ? buffer.size() - 3 : 0);
  return end;
}

bool is_visible_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
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
  return find_header(headers, name);
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
  std::size_t start = 0;  // of the head being read: past the 1xx heads before it
  while (true) {
    std::size_t end = find_head_end(buffer_, std::max(start, searched_), searched_);
    if (end == std::string::npos || end - start > kMaxHeadBytes) {
      // The 1xx heads read go at once (not one by one: that would move the rest each time).
      buffer_.erase(0, start);
      searched_ -= std::min(searched_, start);
      if (buffer_.size() > kMaxHeadBytes) return fail("a response head over 64 KiB");
      return Step::kNeedMore;
    }
    if (Step step = read_head(std::string_view(buffer_).substr(start, end - start));
        step == Step::kMalformed)
      return step;
    start = end + kHeadEnd.size();
    searched_ = start;
    // 100 Continue and friends: the real head follows.
    if (head_.status >= 200 || (takeover_ == Takeover::kAsked && head_.status == 101)) break;
  }
  buffer_.erase(0, start);
  searched_ = 0;
  return start_body();
}

ResponseParser::Step ResponseParser::read_head(std::string_view head) {
  std::size_t line_end = std::min(head.find("\r\n"), head.size());
  std::string_view status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK": the version, a space, three digits, then a space and a reason, or not.
  std::string shown = "'" + std::string(status_line.substr(0, 40)) + "'";
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.") ||
      !std::isdigit(static_cast<unsigned char>(status_line[7])) || status_line[8] != ' ' ||
      (status_line.size() > 12 && status_line[12] != ' '))
    return fail("not an HTTP/1.x status line: " + shown);
  head_ = ResponseHead{};
  head_.minor_version = status_line[7] - '0';
  std::string_view digits = status_line.substr(9, 3);
  if (!std::all_of(digits.begin(), digits.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
      digits[0] == '0')
    return fail("not an HTTP status: " + shown);
  head_.status = std::stoi(std::string(digits));
  if (std::optional<std::string> bad =
          read_header_fields(head.substr(std::min(line_end + 2, head.size())), fields_))
    return fail(*bad);
  head_.headers = fields_.headers;
  return Step::kDone;
}

ResponseParser::Step ResponseParser::start_body() {
  if (takeover_ == Takeover::kAsked && (head_.status == 101 || head_.status / 100 == 2)) {
    // What follows is no HTTP body: the stream keeps the bytes, the connection is not reused.
    taken_over_ = true;
    state_ = State::kDone;
    reusable_ = false;
    return Step::kDone;
  }
  reusable_ = head_.minor_version >= 1 ? !fields_.connection_close : fields_.keep_alive;
  if (no_body_ || head_.status == 204 || head_.status == 304) {
    state_ = State::kDone;
    return Step::kDone;
  }
  switch (fields_.framing) {
    case BodyFraming::kChunked:
      state_ = State::kChunkSize;
      break;
    case BodyFraming::kLength:
      remaining_ = fields_.content_length;
      state_ = remaining_ == 0 ? State::kDone : State::kFixedBody;
      break;
    case BodyFraming::kUnstated:
      state_ = State::kUntilClose;
      reusable_ = false;
      break;
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
      if (available > kMaxChunkLine) return fail("a chunk line over 4 KiB");
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
      // Trailers are skipped, but not without end: they count as a head would.
      trailer_bytes_ += line.size() + 2;
      if (trailer_bytes_ > kMaxHeadBytes) return fail("trailers over 64 KiB");
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
  // Empty lines before a request are allowed (RFC 9112 2.2): they go at once, not one by one.
  std::size_t blank = 0;
  while (buffer_.compare(blank, 2, "\r\n") == 0) blank += 2;
  if (blank > 0) {
    buffer_.erase(0, blank);
    searched_ = 0;
  }
  std::size_t end = find_head_end(buffer_, searched_, searched_);
  if (end == std::string::npos) {
    if (buffer_.size() > kMaxRequestHead) return Step::kTooLarge;
    return Step::kNeedMore;
  }
  if (end > kMaxRequestHead) return Step::kTooLarge;
  std::string_view head(buffer_.data(), end);
  std::size_t line_end = std::min(head.find("\r\n"), head.size());
  if (Step step = read_request_line(head.substr(0, line_end)); step != Step::kDone) return step;
  HeaderFields fields;
  if (std::optional<std::string> bad =
          read_header_fields(head.substr(std::min(line_end + 2, head.size())), fields))
    return fail(*bad);
  request_.headers = std::move(fields.headers);
  buffer_.erase(0, end + kHeadEnd.size());
  head_done_ = true;
  request_.keep_alive = request_.minor_version >= 1 ? !fields.connection_close : fields.keep_alive;
  if (fields.framing == BodyFraming::kChunked) return fail("a chunked request body");
  if (fields.framing == BodyFraming::kLength) {
    body_length_ = fields.content_length;
    if (body_length_ > max_body_) return Step::kTooLarge;
  }
  return Step::kDone;
}

RequestParser::Step RequestParser::read_request_line(std::string_view line) {
  std::size_t first_space = line.find(' ');
  std::size_t second_space =
      first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) return fail("not a request line");
  std::string_view version = line.substr(second_space + 1);
  if (version.size() != 8 || !version.starts_with("HTTP/1.") ||
      !std::isdigit(static_cast<unsigned char>(version[7])))
    return fail("not HTTP/1.x");
  std::string_view method = line.substr(0, first_space);
  std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
  if (method.empty() || target.empty() || !is_visible_ascii(method) || !is_visible_ascii(target))
    return fail("not a request line");
  request_.method = std::string(method);
  request_.target = std::string(target);
  request_.path = request_.target.substr(0, request_.target.find('?'));
  request_.minor_version = version[7] - '0';
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
