#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/document.h"

namespace run::model {

/// What one configuration file does to a value.
enum class LayerEffect { kSets, kRemoves };

struct LayerStep {
  std::string file;
  LayerEffect effect = LayerEffect::kSets;
  Node value;  ///< as written in that file (for kRemoves, the null that removes it)
};

/// The answer of `run explain`: a value and its override chain, base to overlay.
struct Explanation {
  std::string path;
  std::string environment;
  std::vector<LayerStep> chain;     ///< the files that set or remove the value, in merge order
  std::optional<Node> final_value;  ///< after merging and interpolation; none when removed
};

}  // namespace run::model
