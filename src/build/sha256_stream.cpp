#include "build/sha256_stream.h"

// The low-level SHA-256 functions, as config/digest.cpp uses them and for the same reason: EVP's
// first use initialises OpenSSL's whole provider machinery, and these hash the same bytes.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <array>

namespace run::build {

struct Sha256Stream::State {
  SHA256_CTX context;
};

Sha256Stream::Sha256Stream() : state_(std::make_unique<State>()) { SHA256_Init(&state_->context); }

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(std::string_view data) {
  SHA256_Update(&state_->context, data.data(), data.size());
}

std::string Sha256Stream::finish_hex() {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256_Final(digest.data(), &state_->context);
  constexpr char kHexDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    hex += kHexDigits[byte >> 4];
    hex += kHexDigits[byte & 0x0f];
  }
  return hex;
}

}  // namespace run::build
