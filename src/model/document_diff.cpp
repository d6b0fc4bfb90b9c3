#include "model/document_diff.h"

#include <algorithm>

#include "model/scalar_type.h"

namespace run::model {

namespace {

/// Where the walk is: the steps from the root and the path as shown.
struct Position {
  std::vector<std::string> steps;
  std::string path;

  Position key(const std::string& name) const {
    Position next = *this;
    next.steps.push_back(name);
    next.path += (path.empty() ? "" : ".") + name;
    return next;
  }
  Position index(std::size_t i) const {
    Position next = *this;
    next.steps.push_back(std::to_string(i));
    next.path += "[" + std::to_string(i) + "]";
    return next;
  }
};

bool same_scalar(const Node& a, const Node& b) {
  if (a.sensitive != b.sensitive || a.kind != b.kind) return false;
  if (a.kind == NodeKind::kNull) return true;
  if (a.kind == NodeKind::kBool) return is_true_literal(a.text) == is_true_literal(b.text);
  return a.text == b.text;
}

bool is_nonempty_collection(const Node& node) {
  return !node.entries.empty() || !node.items.empty();
}

class Differ {
 public:
  std::vector<FieldDifference> take() && { return std::move(found_); }

  void compare(const Node& a, const Node& b, const Position& at) {
    if (a.kind == NodeKind::kMap && b.kind == NodeKind::kMap) return compare_maps(a, b, at);
    if (a.kind == NodeKind::kSequence && b.kind == NodeKind::kSequence)
      return compare_sequences(a, b, at);
    if (a.kind != b.kind || !same_scalar(a, b)) record(at, DifferenceKind::kChanged, &a, &b);
  }

  /// Every leaf below `node` as a field present on one side only.
  void one_sided(const Node& node, const Position& at, DifferenceKind kind) {
    if (node.kind == NodeKind::kMap && is_nonempty_collection(node)) {
      for (const MapEntry& entry : node.entries) one_sided(entry.value, at.key(entry.key), kind);
      return;
    }
    if (node.kind == NodeKind::kSequence && is_nonempty_collection(node)) {
      for (std::size_t i = 0; i < node.items.size(); ++i)
        one_sided(node.items[i], at.index(i), kind);
      return;
    }
    bool only_in_b = kind == DifferenceKind::kAdded;
    record(at, kind, only_in_b ? nullptr : &node, only_in_b ? &node : nullptr);
  }

 private:
  void compare_maps(const Node& a, const Node& b, const Position& at) {
    for (const MapEntry& entry : a.entries) {
      const Node* other = b.find(entry.key);
      if (other == nullptr) {
        one_sided(entry.value, at.key(entry.key), DifferenceKind::kRemoved);
        continue;
      }
      compare(entry.value, *other, at.key(entry.key));
    }
    for (const MapEntry& entry : b.entries)
      if (a.find(entry.key) == nullptr)
        one_sided(entry.value, at.key(entry.key), DifferenceKind::kAdded);
  }

  void compare_sequences(const Node& a, const Node& b, const Position& at) {
    std::size_t shared = std::min(a.items.size(), b.items.size());
    for (std::size_t i = 0; i < shared; ++i) compare(a.items[i], b.items[i], at.index(i));
    for (std::size_t i = shared; i < a.items.size(); ++i)
      one_sided(a.items[i], at.index(i), DifferenceKind::kRemoved);
    for (std::size_t i = shared; i < b.items.size(); ++i)
      one_sided(b.items[i], at.index(i), DifferenceKind::kAdded);
  }

  void record(const Position& at, DifferenceKind kind, const Node* a, const Node* b) {
    FieldDifference difference{at.steps, at.path, kind, std::nullopt, std::nullopt};
    if (a) difference.a = *a;
    if (b) difference.b = *b;
    found_.push_back(std::move(difference));
  }

  std::vector<FieldDifference> found_;
};

bool is_number(const std::string& step) {
  return !step.empty() &&
         std::all_of(step.begin(), step.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Step order: list indexes by their number (ports[2] before ports[10]), anything else by text.
bool step_less(const std::string& left, const std::string& right) {
  if (is_number(left) && is_number(right) && left.size() != right.size())
    return left.size() < right.size();
  return left < right;
}

bool path_less(const FieldDifference& left, const FieldDifference& right) {
  return std::lexicographical_compare(left.steps.begin(), left.steps.end(), right.steps.begin(),
                                      right.steps.end(), step_less);
}

}  // namespace

std::string_view to_string(DifferenceKind kind) {
  switch (kind) {
    case DifferenceKind::kChanged:
      return "changed";
    case DifferenceKind::kAdded:
      return "added";
    case DifferenceKind::kRemoved:
      return "removed";
  }
  return "changed";
}

DiffSummary DocumentDiff::summary() const {
  DiffSummary summary;
  for (const FieldDifference& difference : differences) {
    if (difference.kind == DifferenceKind::kChanged) ++summary.changed;
    if (difference.kind == DifferenceKind::kAdded) ++summary.added;
    if (difference.kind == DifferenceKind::kRemoved) ++summary.removed;
  }
  return summary;
}

DocumentDiff diff_documents(const Node& a, const Node& b) {
  Differ differ;
  differ.compare(a, b, Position{});
  DocumentDiff diff{std::move(differ).take()};
  // Stable: two fields never share a path, but a stable sort keeps that a non-question.
  std::stable_sort(diff.differences.begin(), diff.differences.end(), path_less);
  return diff;
}

}  // namespace run::model
