#pragma once

#include <chrono>
#include <cstddef>

namespace run::net {

/// What keeps slow, idle or hostile clients from holding the server (HttpServer says how).
struct ServerLimits {
  /// Requests handled at once. A worker takes a connection only once a whole request has
  /// arrived on it, so no idle or slow client ever holds one while it sends.
  std::size_t workers = 4;
  /// Open connections at once. At the cap, a new connection closes the one idle the longest
  /// (else the one whose request began the longest ago); when every connection is being
  /// answered, the new one is closed.
  std::size_t max_connections = 512;
  /// For the whole request, head and body, from its first byte: one deadline, so a client
  /// sending a byte at a time gains nothing.
  std::chrono::milliseconds read_timeout{5000};
  std::chrono::milliseconds write_timeout{5000};       ///< for sending an answer
  std::chrono::milliseconds keep_alive_timeout{5000};  ///< for the first byte of a request
  std::size_t keep_alive_max = 100;                    ///< requests on one connection
  std::size_t max_body = 4096;  ///< a larger request body is refused (413) unread
};

}  // namespace run::net
