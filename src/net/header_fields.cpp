#include "net/header_fields.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace run::net {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

/// A token character (RFC 9110 5.6.2): what a header name is made of.
bool is_token_char(char c) {
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return std::isalnum(static_cast<unsigned char>(c)) || kSymbols.find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

/// Control characters but tab have no place in a value; CR and LF there would start a line
/// that another reader of the same bytes sees and this one does not.
bool is_clean_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t') || byte == 0x7f;
  });
}

/// What a message line says, shortened for an error.
std::string quoted(std::string_view line) { return "'" + std::string(line.substr(0, 40)) + "'"; }

/// Whether a comma-separated value lists `token` (Connection: keep-alive, close).
bool lists_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    std::size_t comma = std::min(value.find(','), value.size());
    if (same_without_case(trimmed(value.substr(0, comma)), token)) return true;
    value.remove_prefix(std::min(comma + 1, value.size()));
  }
  return false;
}

/// A Content-Length: decimal digits only (no sign, no list), within std::size_t.
std::optional<std::size_t> parse_length(std::string_view digits) {
  std::size_t length = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
    return std::nullopt;
  return length;
}

/// Applies the framing and connection rules of one header to `fields`.
std::optional<std::string> take_meaning(const Header& header, bool& length_seen,
                                        HeaderFields& fields) {
  if (same_without_case(header.name, "Content-Length")) {
    std::optional<std::size_t> length = parse_length(header.value);
    if (!length) return "Content-Length " + quoted(header.value) + " is not a length";
    if (length_seen && *length != fields.content_length)
      return "two different Content-Length headers";
    length_seen = true;
    fields.content_length = *length;
  } else if (same_without_case(header.name, "Transfer-Encoding")) {
    // run asks for no transfer coding, and decodes none but chunked.
    if (!same_without_case(header.value, "chunked") || fields.framing == BodyFraming::kChunked)
      return "Transfer-Encoding " + quoted(header.value) + " (only one 'chunked' is taken)";
    fields.framing = BodyFraming::kChunked;
  } else if (same_without_case(header.name, "Connection")) {
    fields.connection_close = fields.connection_close || lists_token(header.value, "close");
    fields.keep_alive = fields.keep_alive || lists_token(header.value, "keep-alive");
  }
  return std::nullopt;
}

/// One header line: `name: value`.
std::optional<std::string> read_line(std::string_view line, Header& header) {
  if (!line.empty() && is_blank(line.front()))
    return "a folded header line (obs-fold) " + quoted(line);
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return "a header line without a name " + quoted(line);
  std::string_view name = line.substr(0, colon);
  if (!is_token(name)) return "a header name that is not a token " + quoted(name);
  std::string_view value = trimmed(line.substr(colon + 1));
  if (!is_clean_value(value)) return "a control character in the value of " + quoted(name);
  header = {std::string(name), std::string(value)};
  return std::nullopt;
}

}  // namespace

bool same_without_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> find_header(const std::vector<Header>& headers, std::string_view name) {
  for (const Header& header : headers)
    if (same_without_case(header.name, name)) return header.value;
  return std::nullopt;
}

std::optional<std::string> read_header_fields(std::string_view lines, HeaderFields& fields) {
  fields = HeaderFields{};
  bool length_seen = false;
  while (!lines.empty()) {
    std::size_t end = std::min(lines.find("\r\n"), lines.size());
    if (fields.headers.size() == kMaxHeaderLines)
      return "more than " + std::to_string(kMaxHeaderLines) + " header lines";
    Header header;
    if (std::optional<std::string> bad = read_line(lines.substr(0, end), header)) return bad;
    if (std::optional<std::string> bad = take_meaning(header, length_seen, fields)) return bad;
    fields.headers.push_back(std::move(header));
    lines.remove_prefix(std::min(end + 2, lines.size()));
  }
  if (length_seen && fields.framing == BodyFraming::kChunked)
    return "both Content-Length and Transfer-Encoding";
  if (length_seen) fields.framing = BodyFraming::kLength;
  return std::nullopt;
}

}  // namespace run::net
