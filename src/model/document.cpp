#include "model/document.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace run::model {

const MapEntry* Node::find_entry(std::string_view key) const {
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const MapEntry& entry) { return entry.key == key; });
  return it == entries.end() ? nullptr : &*it;
}

const Node* Node::find(std::string_view key) const {
  const MapEntry* entry = find_entry(key);
  return entry ? &entry->value : nullptr;
}

Node* Node::find(std::string_view key) { return const_cast<Node*>(std::as_const(*this).find(key)); }

void Node::set(MapEntry entry) {
  for (auto& existing : entries) {
    if (existing.key != entry.key) continue;
    existing = std::move(entry);
    return;
  }
  entries.push_back(std::move(entry));
}

bool Node::erase(std::string_view key) {
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const MapEntry& entry) { return entry.key == key; });
  if (it == entries.end()) return false;
  entries.erase(it);
  return true;
}

std::vector<std::string> Node::keys() const {
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (const auto& entry : entries) names.push_back(entry.key);
  return names;
}

Node make_scalar(NodeKind kind, std::string text, SourceLocation location) {
  Node node;
  node.kind = kind;
  node.text = std::move(text);
  node.location = std::move(location);
  return node;
}

Node make_map(SourceLocation location) {
  Node node;
  node.kind = NodeKind::kMap;
  node.location = std::move(location);
  return node;
}

std::string_view kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::kNull:
      return "null";
    case NodeKind::kBool:
      return "boolean";
    case NodeKind::kInt:
      return "integer";
    case NodeKind::kFloat:
      return "number";
    case NodeKind::kString:
      return "string";
    case NodeKind::kSequence:
      return "list";
    case NodeKind::kMap:
      return "mapping";
  }
  return "value";
}

std::string describe_value(const Node& node) {
  constexpr std::size_t kMaxShown = 40;
  if (!node.is_scalar()) return std::string(kind_name(node.kind));
  if (node.sensitive) return "(sensitive)";
  if (node.kind == NodeKind::kNull) return "null";
  std::string shown =
      node.text.size() > kMaxShown ? node.text.substr(0, kMaxShown) + "..." : node.text;
  return "'" + shown + "'";
}

namespace {
bool is_index(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

std::optional<std::vector<std::string>> parse_path(std::string_view path) {
  std::vector<std::string> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      std::size_t close = path.find(']', i);
      if (close == std::string_view::npos || !is_index(path.substr(i + 1, close - i - 1)))
        return std::nullopt;
      steps.emplace_back(path.substr(i + 1, close - i - 1));
      i = close + 1;
      if (i < path.size() && path[i] == '.') ++i;
      continue;
    }
    std::size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    if (end == i) return std::nullopt;
    steps.emplace_back(path.substr(i, end - i));
    i = end;
    if (i < path.size() && path[i] == '.') {
      ++i;
      if (i == path.size()) return std::nullopt;
    }
  }
  if (steps.empty()) return std::nullopt;
  return steps;
}

const Node* lookup(const Node& root, const std::vector<std::string>& steps) {
  const Node* node = &root;
  for (const auto& step : steps) {
    if (node->kind == NodeKind::kMap) {
      node = node->find(step);
    } else if (node->kind == NodeKind::kSequence && is_index(step)) {
      std::size_t index = 0;
      std::from_chars(step.data(), step.data() + step.size(), index);
      node = index < node->items.size() ? &node->items[index] : nullptr;
    } else {
      return nullptr;
    }
    if (node == nullptr) return nullptr;
  }
  return node;
}

std::string join_path(const std::vector<std::string>& steps) {
  std::string path;
  for (const auto& step : steps) {
    if (is_index(step)) {
      path += "[" + step + "]";
      continue;
    }
    if (!path.empty()) path += ".";
    path += step;
  }
  return path;
}

}  // namespace run::model
