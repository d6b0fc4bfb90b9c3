#include <doctest/doctest.h>

#include <string>

#include "core/did_you_mean.h"

namespace run {

TEST_CASE("did you mean: edit distance counts insertions, deletions, substitutions and swaps") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("replicas", "replcias") == 1);  // an adjacent swap is one edit
  CHECK(edit_distance("replicas", "replica") == 1);
}

TEST_CASE("did you mean: a likely typo is suggested") {
  std::vector<std::string> keys = {"image", "replicas", "restart", "resources"};
  CHECK(did_you_mean("replcas", keys) == "did you mean 'replicas'?");
  CHECK(did_you_mean("imgae", keys) == "did you mean 'image'?");
  CHECK(closest_match("restrat", keys) == "restart");
}

TEST_CASE("did you mean: nothing is suggested for a word that is not close") {
  std::vector<std::string> keys = {"image", "replicas"};
  CHECK(did_you_mean("volumes", keys).empty());
  CHECK(did_you_mean("x", {}).empty());
  CHECK(did_you_mean(std::string(100'000, 'r'), keys).empty());
}

}  // namespace run
