#include "model/units.h"

#include <charconv>

namespace run::model {

namespace {

std::optional<std::int64_t> parse_number(std::string_view text) {
  std::int64_t value = 0;
  if (text.empty()) return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::optional<int> parse_port_number(std::string_view text) {
  std::optional<std::int64_t> value = parse_number(text);
  if (!value || *value < 1 || *value > 65535) return std::nullopt;
  return static_cast<int>(*value);
}

std::optional<std::int64_t> unit_ms(std::string_view unit) {
  if (unit == "ms") return 1;
  if (unit == "s") return 1000;
  if (unit == "m") return 60'000;
  if (unit == "h") return 3'600'000;
  return std::nullopt;
}

std::optional<std::int64_t> unit_bytes(std::string_view unit) {
  if (!unit.empty() && (unit.back() == 'b' || unit.back() == 'B') && unit.size() == 2)
    unit.remove_suffix(1);
  if (unit.empty() || unit == "b" || unit == "B") return 1;
  if (unit == "k" || unit == "K") return std::int64_t{1} << 10;
  if (unit == "m" || unit == "M") return std::int64_t{1} << 20;
  if (unit == "g" || unit == "G") return std::int64_t{1} << 30;
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  while (!text.empty()) {
    std::size_t digits = text.find_first_not_of("0123456789");
    if (digits == 0 || digits == std::string_view::npos) return std::nullopt;
    std::optional<std::int64_t> amount = parse_number(text.substr(0, digits));
    text.remove_prefix(digits);
    std::size_t unit_end = text.find_first_of("0123456789");
    std::optional<std::int64_t> unit = unit_ms(text.substr(0, unit_end));
    if (!amount || !unit || *amount > 1'000'000'000) return std::nullopt;
    total += *amount * *unit;
    text.remove_prefix(unit_end == std::string_view::npos ? text.size() : unit_end);
  }
  return total;
}

std::optional<std::int64_t> parse_memory_bytes(std::string_view text) {
  std::size_t number_end = text.find_first_not_of("0123456789.");
  if (number_end == 0) return std::nullopt;
  std::string_view number = text.substr(0, number_end);
  std::optional<std::int64_t> unit =
      unit_bytes(number_end == std::string_view::npos ? "" : text.substr(number_end));
  if (!unit || number.empty() || number.size() > 15) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
  return static_cast<std::int64_t>(value * static_cast<double>(*unit));
}

std::optional<PortMapping> parse_port(std::string_view text) {
  PortMapping mapping;
  if (std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    mapping.protocol = text.substr(slash + 1);
    if (mapping.protocol != "tcp" && mapping.protocol != "udp" && mapping.protocol != "sctp")
      return std::nullopt;
    text = text.substr(0, slash);
  }
  std::size_t last = text.rfind(':');
  std::optional<int> container =
      parse_port_number(last == std::string_view::npos ? text : text.substr(last + 1));
  if (!container) return std::nullopt;
  mapping.container_port = *container;
  if (last == std::string_view::npos) return mapping;
  std::string_view front = text.substr(0, last);
  std::size_t colon = front.rfind(':');
  std::optional<int> host =
      parse_port_number(colon == std::string_view::npos ? front : front.substr(colon + 1));
  if (!host) return std::nullopt;
  mapping.host_port = *host;
  if (colon != std::string_view::npos) mapping.host_ip = front.substr(0, colon);
  if (colon != std::string_view::npos && mapping.host_ip.empty()) return std::nullopt;
  return mapping;
}

}  // namespace run::model
