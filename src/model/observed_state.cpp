#include "model/observed_state.h"

namespace run::model {

std::string ObservedContainer::label(const std::string& key) const {
  auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

}  // namespace run::model
