#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace run::model {

/// A duration such as "500ms", "10s", "1m30s" or "2h", in milliseconds; nullopt when the
/// text is not one (a bare number has no unit and is refused).
std::optional<std::int64_t> parse_duration_ms(std::string_view text);

/// A memory size such as "512M", "1G", "256m", "1.5g", "64kb" or "1048576", in bytes
/// (binary units, as docker reads them); nullopt when the text is not one.
std::optional<std::int64_t> parse_memory_bytes(std::string_view text);

/// A published port "[HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]" or "CONTAINER_PORT[/PROTOCOL]".
struct PortMapping {
  std::string_view host_ip;  ///< empty: every address
  int host_port = 0;         ///< 0: not published on a fixed host port
  int container_port = 0;
  std::string_view protocol = "tcp";
};

/// Parses a port mapping; nullopt when it is malformed or a port is outside 1..65535.
std::optional<PortMapping> parse_port(std::string_view text);

}  // namespace run::model
