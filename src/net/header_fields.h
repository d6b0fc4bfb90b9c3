#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace run::net {

/// The header lines of an HTTP/1.1 head, read the same way for a request (run's server) and
/// a response (run's client): one reader, so a rule is never kept in one and missed in the
/// other. Only what run's peers need is taken; what could make two readers of the same bytes
/// disagree about where a message ends (request smuggling, response splitting) is refused.

struct Header {
  std::string name;
  std::string value;
};

/// How a message's body is delimited, as its headers say.
enum class BodyFraming {
  kUnstated,  ///< neither Content-Length nor Transfer-Encoding
  kLength,    ///< Content-Length
  kChunked,   ///< Transfer-Encoding: chunked
};

struct HeaderFields {
  std::vector<Header> headers;
  BodyFraming framing = BodyFraming::kUnstated;
  std::size_t content_length = 0;  ///< with kLength
  bool connection_close = false;   ///< Connection lists "close"
  bool keep_alive = false;         ///< Connection lists "keep-alive"
};

/// More header lines than this in one head is no request or answer run takes part in.
inline constexpr std::size_t kMaxHeaderLines = 128;

/// Reads `lines`: the header lines of a head, each ended by CRLF but the last, which may end
/// either way (the blank line after them is not in `lines`). Each is a name (visible ASCII
/// but separators, no space before the colon), a colon, and a value whose leading and trailing
/// spaces and tabs are dropped, holding no control character but tab. Refused, with why (for
/// the message): a line without a name, a folded line (obs-fold: one that starts with a space
/// or tab), more than kMaxHeaderLines lines, a Content-Length that is not one decimal length
/// (several are allowed when they are the same), a Transfer-Encoding that is not `chunked`,
/// and both Content-Length and Transfer-Encoding.
std::optional<std::string> read_header_fields(std::string_view lines, HeaderFields& fields);

/// Whether two header names (or tokens) are the same, compared without case.
bool same_without_case(std::string_view a, std::string_view b);

/// The first header of that name, compared without case.
std::optional<std::string> find_header(const std::vector<Header>& headers, std::string_view name);

}  // namespace run::net
