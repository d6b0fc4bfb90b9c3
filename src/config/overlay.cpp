#include "config/overlay.h"

#include <unordered_map>
#include <unordered_set>

namespace run::config {

using model::MapEntry;
using model::Node;
using model::NodeKind;

namespace {

/// A patch value with its nulls removed: RFC 7386 never stores a null a patch carries.
Node without_nulls(const Node& patch) {
  if (patch.kind != NodeKind::kMap) return patch;
  Node cleaned = patch;
  cleaned.entries.clear();
  for (const MapEntry& entry : patch.entries) {
    if (entry.value.kind == NodeKind::kNull) continue;
    cleaned.entries.push_back(MapEntry{entry.key, entry.key_location, without_nulls(entry.value)});
  }
  return cleaned;
}

}  // namespace

Node merge_overlay(Node base, const Node& overlay) {
  if (overlay.kind != NodeKind::kMap || base.kind != NodeKind::kMap) return without_nulls(overlay);
  // Keys are found through an index, not a scan per key: an overlay of tens of thousands of
  // services over a base of as many would otherwise take minutes.
  std::unordered_map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < base.entries.size(); ++i) position.emplace(base.entries[i].key, i);
  std::unordered_set<std::string> removed;
  for (const MapEntry& entry : overlay.entries) {
    auto existing = position.find(entry.key);
    if (entry.value.kind == NodeKind::kNull) {
      if (existing != position.end()) removed.insert(entry.key);
      continue;
    }
    if (existing == position.end()) {
      position.emplace(entry.key, base.entries.size());
      base.entries.push_back(MapEntry{entry.key, entry.key_location, without_nulls(entry.value)});
      continue;
    }
    Node& value = base.entries[existing->second].value;
    value = merge_overlay(std::move(value), entry.value);
  }
  std::erase_if(base.entries, [&](const MapEntry& entry) { return removed.count(entry.key) != 0; });
  return base;
}

}  // namespace run::config
