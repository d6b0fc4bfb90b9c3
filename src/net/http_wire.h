#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/header_fields.h"

namespace run::net {

/// HTTP/1.1 as bytes, with no socket: the request `run` sends and an incremental reader for
/// the response. Kept apart from the connection so every framing case is unit-tested.

/// A request's bytes: the request line, Host, `headers`, Content-Length when there is a body
/// (or the method is POST or PUT), then the body.
std::string request_bytes(std::string_view method, std::string_view target, std::string_view host,
                          const std::vector<Header>& headers, std::string_view body);

/// The head of a request whose body follows in chunks (Transfer-Encoding: chunked), for a body
/// whose length is not known when it starts: the request line, Host, `headers`, then the
/// Transfer-Encoding header. The body goes as chunk_bytes pieces and ends with kLastChunk.
std::string chunked_request_head(std::string_view method, std::string_view target,
                                 std::string_view host, const std::vector<Header>& headers);

/// One chunk: its size in hexadecimal, CRLF, `data`, CRLF. `data` must not be empty: a chunk
/// of size zero is the end of the body.
std::string chunk_bytes(std::string_view data);

/// The end of a chunked body: the chunk of size zero, and no trailers.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

struct ResponseHead {
  int status = 0;
  int minor_version = 1;  ///< HTTP/1.<minor>
  std::vector<Header> headers;

  /// The first header of that name, compared without case.
  std::optional<std::string> header(std::string_view name) const;
};

/// Whether the request asked the server to take its connection over (Connection: Upgrade, as
/// Docker's attach and exec start do): then a 101 or a 2xx head is the end of the response, and
/// the bytes after it belong to the stream that follows.
enum class Takeover { kNotAsked, kAsked };

/// Reads one response from bytes as they arrive: the head (at most 64 KiB; its header lines as
/// read_header_fields reads them), then the body however it is framed (Content-Length,
/// chunked, or until the server closes). Informational (1xx) heads are skipped, but for 101
/// Switching Protocols when a takeover was asked. However the bytes are cut, the work is linear
/// in their number: a head that arrives byte by byte is not searched again from its start.
class ResponseParser {
 public:
  enum class Step { kNeedMore, kDone, kMalformed };
  using BodySink = std::function<void(std::string_view)>;

  /// `no_body`: the request was HEAD, so whatever the head says, no body follows.
  explicit ResponseParser(bool no_body = false, Takeover takeover = Takeover::kNotAsked)
      : no_body_(no_body), takeover_(takeover) {}

  /// Consumes `bytes`; the body's decoded bytes go to `on_body` as they come.
  Step feed(std::string_view bytes, const BodySink& on_body);
  /// The server closed the connection: done when the body runs until the close, else the
  /// response was cut short.
  Step finish();

  bool head_complete() const { return state_ != State::kHead; }
  const ResponseHead& head() const { return head_; }
  /// Whether the connection may carry another request once this response is done.
  bool reusable() const { return reusable_; }
  /// Why the response is malformed.
  const std::string& error() const { return error_; }
  /// Whether the server took the connection over (a 101, or a 2xx to a takeover request).
  bool taken_over() const { return taken_over_; }
  /// The bytes received after a taken-over head: the first of the stream.
  const std::string& stream_bytes() const { return buffer_; }

 private:
  enum class State {
    kHead,
    kFixedBody,
    kChunkSize,
    kChunkData,
    kChunkDataEnd,
    kTrailers,
    kUntilClose,
    kDone,
    kBad
  };

  Step parse_head();
  /// Reads one head (its status line and header lines, without the blank line).
  Step read_head(std::string_view head);
  /// Where the body goes once the final head is read.
  Step start_body();
  Step parse_body(const BodySink& on_body);
  Step fail(std::string why);

  bool no_body_;
  Takeover takeover_;
  bool taken_over_ = false;
  State state_ = State::kHead;
  ResponseHead head_;
  HeaderFields fields_;        ///< of head_
  std::string buffer_;         ///< bytes received and not yet consumed
  std::size_t searched_ = 0;   ///< where the search for the end of the head resumes
  std::size_t remaining_ = 0;  ///< body or chunk bytes still to come
  std::size_t trailer_bytes_ = 0;
  bool reusable_ = false;
  std::string error_;
};

/// A request as a server reads it.
struct Request {
  std::string method;
  std::string target;  ///< as sent: "/metrics?x=1"
  std::string path;    ///< the target without its query: "/metrics"
  int minor_version = 1;
  std::vector<Header> headers;
  std::string body;
  bool keep_alive = true;  ///< HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with keep-alive
};

/// Reads one request from bytes as they arrive: empty lines before it, the head (at most 8 KiB:
/// a request line whose method and target are visible ASCII, then header
/// lines as read_header_fields reads them), then a body framed by Content-Length of at most
/// `max_body` bytes. A chunked request body is not taken. Linear in the bytes however they are
/// cut.
class RequestParser {
 public:
  enum class Step { kNeedMore, kDone, kMalformed, kTooLarge };

  explicit RequestParser(std::size_t max_body) : max_body_(max_body) {}

  Step feed(std::string_view bytes);
  const Request& request() const { return request_; }
  /// The bytes after the request (the next one, pipelined), to feed a new parser.
  std::string leftover() const { return buffer_; }
  /// Why the request is malformed.
  const std::string& error() const { return error_; }

 private:
  Step parse_head();
  Step read_request_line(std::string_view line);
  Step fail(std::string why);

  std::size_t max_body_;
  bool head_done_ = false;
  std::size_t searched_ = 0;  ///< where the search for the end of the head resumes
  std::size_t body_length_ = 0;
  Request request_;
  std::string buffer_;
  std::string error_;
};

/// A response's bytes: the status line, Content-Length, Connection: close unless
/// `keep_alive`, the headers, then the body (left out, its length kept, for HEAD).
std::string response_bytes(int status, const std::vector<Header>& headers, std::string_view body,
                           bool head_only, bool keep_alive);

/// "OK", "Not Found", ... for the statuses run's server sends; "Unknown" otherwise.
std::string_view reason_phrase(int status);

}  // namespace run::net
