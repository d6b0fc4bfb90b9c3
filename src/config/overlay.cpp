#include "config/overlay.h"

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
  for (const MapEntry& entry : overlay.entries) {
    if (entry.value.kind == NodeKind::kNull) {
      base.erase(entry.key);
      continue;
    }
    Node* existing = base.find(entry.key);
    if (existing == nullptr) {
      base.entries.push_back(MapEntry{entry.key, entry.key_location, without_nulls(entry.value)});
      continue;
    }
    *existing = merge_overlay(std::move(*existing), entry.value);
  }
  return base;
}

}  // namespace run::config
