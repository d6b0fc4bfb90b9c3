#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"

namespace run::model {

/// The kind of a YAML value once its type is resolved (YAML 1.2 core schema, plus the
/// YAML 1.1 booleans yes/no/on/off, which are read as booleans so that the schema's types
/// catch them where a string is meant).
enum class NodeKind { kNull, kBool, kInt, kFloat, kString, kSequence, kMap };

/// How a scalar was written: a quoted scalar is always a string, a plain one is typed by its text.
enum class ScalarStyle { kPlain, kQuoted };

struct MapEntry;

/// A configuration value with its provenance: the file, line and column that set it. The
/// loader builds it from YAML, overlays merge into it, interpolation rewrites its scalars,
/// and every later error about a value points at `location`.
struct Node {
  NodeKind kind = NodeKind::kNull;
  ScalarStyle style = ScalarStyle::kPlain;
  std::string text;        ///< a scalar's text as written (after interpolation)
  bool sensitive = false;  ///< holds a secret's value: never print `text`
  std::string reference;   ///< for a secret: the text with `${secret:NAME}` left in (history)
  SourceLocation location;
  std::vector<Node> items;        ///< a sequence's items
  std::vector<MapEntry> entries;  ///< a map's entries, in file order, keys unique

  bool is_scalar() const { return kind != NodeKind::kSequence && kind != NodeKind::kMap; }
  bool is_map() const { return kind == NodeKind::kMap; }

  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  const MapEntry* find_entry(std::string_view key) const;
  /// Replaces the value of `key`, or appends the entry when the key is new.
  void set(MapEntry entry);
  /// Removes `key`; returns whether it was there.
  bool erase(std::string_view key);
  std::vector<std::string> keys() const;
};

struct MapEntry {
  std::string key;
  SourceLocation key_location;
  Node value;
};

Node make_scalar(NodeKind kind, std::string text, SourceLocation location);
Node make_map(SourceLocation location);

/// "string", "integer", "number", "boolean", "null", "list" or "mapping".
std::string_view kind_name(NodeKind kind);

/// A scalar for a message: its text quoted, "(sensitive)" for a secret, or the kind for a
/// collection. Long text is cut so a message stays one line.
std::string describe_value(const Node& node);

/// A dotted path such as "services.worker.replicas" or "services.app.ports[0]", split into
/// its steps ("[0]" becomes the step "0"). Empty when the text is not a well-formed path.
std::optional<std::vector<std::string>> parse_path(std::string_view path);

/// The node at `steps` below `root` (a map key, or a sequence index for a sequence), or null.
const Node* lookup(const Node& root, const std::vector<std::string>& steps);

/// The steps joined back: map keys with '.', sequence indexes as "[n]".
std::string join_path(const std::vector<std::string>& steps);

}  // namespace run::model
