#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace run::config {

/// An incremental SHA-256, for content that arrives in pieces (a build context's file read in
/// chunks, a canonical text written field by field); sha256_hex is the one-shot form.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(std::string_view data);
  /// The digest of everything given so far, in lower-case hex. The stream is spent after it.
  std::string finish_hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// The SHA-256 of `data` in lower-case hex (OpenSSL's low-level SHA-256: see digest.cpp).
std::string sha256_hex(std::string_view data);

/// A short fingerprint of a secret's value, keyed by project and the name it is stored
/// under (the environment variable's), so the same password in two projects or two
/// variables does not read the same. Shown instead of the value wherever a
/// secret must be compared: labels, plans, history.
std::string secret_fingerprint(std::string_view project, std::string_view name,
                               std::string_view value);

}  // namespace run::config
