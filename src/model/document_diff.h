#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/document.h"

namespace run::model {

/// How one field differs between side A and side B of a diff.
enum class DifferenceKind {
  kChanged,  ///< on both sides, with another value
  kAdded,    ///< only in B
  kRemoved,  ///< only in A
};

/// "changed", "added" or "removed".
std::string_view to_string(DifferenceKind kind);

/// One field that differs. A field is a leaf of the documents: a scalar, an empty map or
/// list, or (when the two sides disagree on what a path holds, a map here and a scalar there)
/// the whole value on each side. Maps are compared key by key and lists index by index, so a
/// new service shows as one added field per value it sets, each with its own origin.
struct FieldDifference {
  std::vector<std::string> steps;  ///< map keys and list indexes ("0") from the root
  std::string path;                ///< "services.app.ports[0]": keys joined by '.', indexes as [n]
  DifferenceKind kind = DifferenceKind::kChanged;
  std::optional<Node> a;  ///< the value in A (its location is the provenance); none when added
  std::optional<Node> b;  ///< the value in B; none when removed
};

/// How many fields differ, by kind.
struct DiffSummary {
  std::size_t changed = 0;
  std::size_t added = 0;
  std::size_t removed = 0;
  std::size_t total() const { return changed + added + removed; }
};

/// The field-level difference between two rendered documents, sorted by path (step by step;
/// list indexes in numeric order), so that the fields of one service stay together.
struct DocumentDiff {
  std::vector<FieldDifference> differences;

  bool identical() const { return differences.empty(); }
  DiffSummary summary() const;
};

/// Compares two merged, interpolated documents. Values are compared as values, not as text:
/// `yes` equals `true`, `~` equals `null`; any other scalar by its kind and text (`2` and
/// `"2"` differ, as they do to Docker). A secret is compared by its value, so a secret that
/// differs is a change, but the value itself is never read out: renderers print
/// "(sensitive)" for a node marked sensitive. A secret and a plain value never compare equal.
DocumentDiff diff_documents(const Node& a, const Node& b);

}  // namespace run::model
