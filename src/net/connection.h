#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace run::net {

using Clock = std::chrono::steady_clock;

/// How to check the server and who the client is, for a TLS connection (OpenSSL).
struct TlsSettings {
  std::string ca_file;    ///< the CAs to trust; empty: the system's store
  std::string cert_file;  ///< a client certificate (Docker's TLS), or empty
  std::string key_file;   ///< its key
};

/// Where a connection goes: a unix socket, a TCP host and port (in clear or over TLS), or a
/// command that carries the stream on its stdin and stdout (ssh://: see CommandStream).
struct Address {
  enum class Kind { kUnix, kTcp, kCommand };
  Kind kind = Kind::kUnix;
  std::string path;  ///< kUnix: the socket file
  std::string host;  ///< kTcp: a name or an IP address (also the name checked in the certificate)
  std::string port;  ///< kTcp
  std::optional<TlsSettings> tls;
  std::vector<std::string> command;  ///< kCommand: argv, argv[0] looked up in PATH

  static Address unix_socket(std::string path) {
    return {Kind::kUnix, std::move(path), {}, {}, std::nullopt, {}};
  }
  static Address tcp(std::string host, std::string port,
                     std::optional<TlsSettings> tls = std::nullopt) {
    return {Kind::kTcp, {}, std::move(host), std::move(port), std::move(tls), {}};
  }
  static Address command_stream(std::vector<std::string> argv) {
    return {Kind::kCommand, {}, {}, {}, std::nullopt, std::move(argv)};
  }
};

/// poll(2) on one socket until `deadline` (rounded up to the millisecond, so a wait never ends
/// early; EINTR retried): above 0 when ready, 0 at the deadline, below 0 on error (errno set).
int poll_until(int fd, short events, Clock::time_point deadline);

/// Why a connection did not do what was asked. Callers word the message (they know what the
/// server is); `detail` is what the system or OpenSSL said.
struct NetError {
  enum class Kind { kConnect, kTimeout, kBroken };
  Kind kind = Kind::kBroken;
  std::string detail;
};

/// One open stream socket (non-blocking underneath), with a deadline on every step, so a
/// server that accepts and never answers cannot hang the caller.
class CommandStream;

class Connection {
 public:
  /// Connects (and shakes hands, for TLS) before `deadline`; nullptr with `error` set if not.
  /// A command is only started: whether it reaches anything shows in the first exchange.
  static std::unique_ptr<Connection> open(const Address& address, Clock::time_point deadline,
                                          NetError& error);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  struct Tls;  ///< OpenSSL's context and session, kept out of this header

  /// Sends all of `bytes` before `deadline`. On failure, some of them may have gone:
  /// sent_count() says how many.
  bool send_all(std::string_view bytes, Clock::time_point deadline, NetError& error);
  /// The bytes handed to the socket (or TLS) so far on this connection: whether a failed send
  /// sent any of a request, the difference before and after it.
  std::size_t sent_count() const { return sent_count_; }
  /// Whether an idle connection is still good to send on: nothing arrived on it since the last
  /// answer, neither the server's close nor bytes no request asked for. Looks without waiting.
  bool quiet() const;
  /// Receives what has arrived (at most `size` bytes) once something has, before `deadline`.
  /// Returns the count, 0 when the server closed the connection, or nullopt with `error` set.
  std::optional<std::size_t> receive(char* buffer, std::size_t size, Clock::time_point deadline,
                                     NetError& error);
  /// Waits until the socket has something to read (or was closed) before `deadline`; false at
  /// the deadline (kTimeout) or on error. A TLS record may still be incomplete then.
  bool wait_readable(Clock::time_point deadline, NetError& error) const;
  /// Sends no more: the server reads the end of the stream (TLS: close_notify first), while
  /// what it sends can still be received.
  void shutdown_write();
  /// For a command's connection, what the command wrote to stderr, waiting until `deadline`
  /// for it to finish ("ssh: Could not resolve hostname ..."): the reason a stream ended
  /// early. Empty for a socket, or when the command said nothing.
  std::string command_errors(Clock::time_point deadline);
  /// The command's name ("ssh"), or empty for a socket.
  std::string command_name() const;

 private:
  Connection(int fd, std::unique_ptr<Tls> tls, std::unique_ptr<CommandStream> command = nullptr);
  bool wait_for(short events, Clock::time_point deadline, NetError& error) const;
  bool shake_hands(Clock::time_point deadline, NetError& error);

  int fd_;
  std::unique_ptr<Tls> tls_;
  std::unique_ptr<CommandStream> command_;  // ended after fd_ is closed
  std::size_t sent_count_ = 0;
};

}  // namespace run::net
