#pragma once

#include <string>
#include <string_view>

namespace run::config {

/// The SHA-256 of `data` in lower-case hex (OpenSSL's low-level SHA-256: see digest.cpp).
std::string sha256_hex(std::string_view data);

/// A short fingerprint of a secret's value, keyed by project and the name it is stored
/// under (the environment variable's), so the same password in two projects or two
/// variables does not read the same. Shown instead of the value wherever a
/// secret must be compared: labels, plans, history.
std::string secret_fingerprint(std::string_view project, std::string_view name,
                               std::string_view value);

}  // namespace run::config
