#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "net/connection.h"

namespace run::net {

/// A connection the server took over after answering a request that asked for it (Docker's
/// exec start and attach: `Connection: Upgrade`, `Upgrade: tcp`, answered 101, or 200 by an
/// older daemon): from then on raw bytes both ways, no HTTP framing.
///
/// One thread may read while another writes or closes the writing side: the calls into the
/// connection are serialised (a TLS session takes one call at a time), and a read waits for
/// the socket outside that lock, so a waiting read never holds up a write.
class HijackedStream {
 public:
  /// `early_bytes`: what arrived with the answer's head, the first bytes of the stream.
  HijackedStream(std::unique_ptr<Connection> connection, std::string early_bytes);
  HijackedStream(const HijackedStream&) = delete;
  HijackedStream& operator=(const HijackedStream&) = delete;

  /// Waits until `deadline` for bytes and takes what came (at most `size`): the count, 0 when
  /// the server closed its side, or nullopt with `error` set (kTimeout at the deadline, with
  /// nothing lost: call again).
  std::optional<std::size_t> read(char* buffer, std::size_t size, Clock::time_point deadline,
                                  NetError& error);
  /// Sends all of `bytes` before `deadline`.
  bool write(std::string_view bytes, Clock::time_point deadline, NetError& error);
  /// Sends no more: the server reads the end of the stream (for an exec, its stdin closes);
  /// reading goes on. Harmless when repeated.
  void close_write();

 private:
  std::unique_ptr<Connection> connection_;
  std::string early_bytes_;
  std::mutex mutex_;  // around every call into connection_
  bool write_closed_ = false;
};

}  // namespace run::net
