#include "config/digest.h"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

namespace run::config {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

std::string secret_fingerprint(std::string_view project, std::string_view name, std::string_view value) {
  std::string keyed = "run-secret\n" + std::string(project) + "\n" + std::string(name) + "\n" + std::string(value);
  return sha256_hex(keyed).substr(0, 16);
}

}  // namespace run::config
