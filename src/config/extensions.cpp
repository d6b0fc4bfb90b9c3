#include "config/extensions.h"

#include <algorithm>

namespace run::config {

namespace {

void strip_here(model::Node& map) {
  auto& entries = map.entries;
  entries.erase(
      std::remove_if(entries.begin(), entries.end(),
                     [](const model::MapEntry& entry) { return is_extension_key(entry.key); }),
      entries.end());
}

}  // namespace

bool is_extension_key(std::string_view key) { return key.starts_with("x-"); }

void strip_extensions(model::Node& root) {
  if (!root.is_map()) return;
  strip_here(root);
  for (const char* section : {"services", "networks", "volumes", "environments"}) {
    model::Node* definitions = root.find(section);
    if (definitions == nullptr || !definitions->is_map()) continue;
    for (model::MapEntry& entry : definitions->entries)
      if (entry.value.is_map()) strip_here(entry.value);
  }
}

}  // namespace run::config
