#include "config/digest.h"

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but EVP's first use
// initialises the whole provider machinery (openssl.cnf, every algorithm's name in a hash
// table): 5.2 M of a 10-service no-op plan's 22 M instructions, for ten short hashes. The
// low-level functions hash the same bytes with the same code and initialise nothing.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <array>

namespace run::config {

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

std::string sha256_hex(std::string_view data) {
  Sha256Stream hasher;
  hasher.update(data);
  return hasher.finish_hex();
}

std::string secret_fingerprint(std::string_view project, std::string_view name,
                               std::string_view value) {
  std::string keyed =
      "run-secret\n" + std::string(project) + "\n" + std::string(name) + "\n" + std::string(value);
  return sha256_hex(keyed).substr(0, 16);
}

}  // namespace run::config
