#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace run::net {

/// An http:// or https:// URL in the parts a request needs.
struct Url {
  bool https = false;
  std::string userinfo;  ///< "user:password", percent-decoded; sent as Basic authorization
  std::string host;      ///< without the brackets of an IPv6 address
  std::string port;      ///< the URL's, else 80 or 443
  std::string target;    ///< path and query ("/hooks/x?token=..."), at least "/"; no fragment
};

/// The parts of `text`, or nullopt when it is not an http(s) URL with a host (or its port is
/// not a number).
std::optional<Url> parse_url(std::string_view text);

/// `text` in base64 (Basic authorization).
std::string base64(std::string_view text);

}  // namespace run::net
