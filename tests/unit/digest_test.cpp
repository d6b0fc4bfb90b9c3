#include <doctest/doctest.h>

#include <string>

#include "config/digest.h"

namespace run::config {

TEST_CASE("sha256_hex gives the FIPS 180-4 digests of known inputs") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a secret's fingerprint is keyed by project and name, and short") {
  // The first 16 hex digits of sha256("run-secret\nshop\nDB_PASSWORD\nhunter2"): labels and
  // records written before keep comparing equal.
  CHECK(secret_fingerprint("shop", "DB_PASSWORD", "hunter2") == "9ad367910c375eb8");
  CHECK(secret_fingerprint("other", "DB_PASSWORD", "hunter2") !=
        secret_fingerprint("shop", "DB_PASSWORD", "hunter2"));
  CHECK(secret_fingerprint("shop", "API_KEY", "hunter2") !=
        secret_fingerprint("shop", "DB_PASSWORD", "hunter2"));
}

}  // namespace run::config
