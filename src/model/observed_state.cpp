#include "model/observed_state.h"

#include <charconv>

#include "model/names.h"

namespace run::model {

std::string ObservedContainer::label(const std::string& key) const {
  auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

std::optional<int> ObservedContainer::replica() const {
  std::string text = label(kLabelReplica);
  int number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || number < 1) return std::nullopt;
  return number;
}

}  // namespace run::model
