#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "model/document.h"

namespace run::config {

/// Limits that keep hostile input from taking the process down.
struct YamlLimits {
  int max_depth = 64;               ///< nesting of maps and lists
  std::size_t max_nodes = 500'000;  ///< nodes built, aliases expanded (stops alias bombs)
};

/// Parses one YAML document into a tree that keeps the file, line and column of every
/// value. The top level must be a mapping. Refused with a diagnostic naming `file_name` and
/// the line: malformed YAML, an empty file, several documents, duplicate keys, unsupported
/// tags, nesting deeper than the limit, cyclic aliases and alias expansion past the budget.
/// Merge keys (`<<: *defaults`) are expanded; explicitly written keys win over merged ones.
Result<model::Node> parse_yaml(std::string_view text, const std::string& file_name,
                               const YamlLimits& limits = {});

}  // namespace run::config
