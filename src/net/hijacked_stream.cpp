#include "net/hijacked_stream.h"

#include <algorithm>
#include <cstring>

namespace run::net {

HijackedStream::HijackedStream(std::unique_ptr<Connection> connection, std::string early_bytes)
    : connection_(std::move(connection)), early_bytes_(std::move(early_bytes)) {}

std::optional<std::size_t> HijackedStream::read(char* buffer, std::size_t size,
                                                Clock::time_point deadline, NetError& error) {
  if (!early_bytes_.empty()) {
    std::size_t count = std::min(size, early_bytes_.size());
    std::memcpy(buffer, early_bytes_.data(), count);
    early_bytes_.erase(0, count);
    return count;
  }
  while (true) {
    {
      // A receive that must not wait: what is there (a TLS session may hold decrypted bytes
      // the socket no longer shows), else a timeout at once.
      std::lock_guard lock(mutex_);
      std::optional<std::size_t> count = connection_->receive(buffer, size, Clock::now(), error);
      if (count || error.kind != NetError::Kind::kTimeout) return count;
    }
    if (!connection_->wait_readable(deadline, error)) return std::nullopt;
  }
}

bool HijackedStream::write(std::string_view bytes, Clock::time_point deadline, NetError& error) {
  std::lock_guard lock(mutex_);
  return connection_->send_all(bytes, deadline, error);
}

void HijackedStream::close_write() {
  std::lock_guard lock(mutex_);
  if (write_closed_) return;
  write_closed_ = true;
  connection_->shutdown_write();
}

}  // namespace run::net
