#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace run::build {

/// An incremental SHA-256, for content that arrives in pieces (a file read in chunks, a
/// canonical text written field by field). config::sha256_hex is the one-shot form; both give
/// the same lower-case hex for the same bytes.
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

}  // namespace run::build
