#include "render/document_json.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/json_text.h"
#include "model/scalar_type.h"

namespace run::render {

namespace {

using model::Node;
using model::NodeKind;

std::string integer_json(const std::string& text) {
  std::string_view digits = text;
  int base = 10;
  if (digits.starts_with("0o")) base = 8;
  if (digits.starts_with("0x")) base = 16;
  if (base != 10) digits.remove_prefix(2);
  if (digits.starts_with('+')) digits.remove_prefix(1);
  long long value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc() || end != digits.data() + digits.size()) return json_quote(text);
  return std::to_string(value);
}

std::string float_json(const std::string& text) {
  double value = std::strtod(text.c_str(), nullptr);
  if (text.find_first_of("0123456789") == std::string::npos || !std::isfinite(value))
    return json_quote(text);
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (error != std::errc()) return json_quote(text);
  std::string shown(buffer, end);
  if (shown.find_first_of(".e") == std::string::npos) shown += ".0";
  return shown;
}

/// Pretty: two-space indentation, one member per line. Compact: one line, ", " and ": ".
enum class Layout { kPretty, kCompact };

struct Writer {
  ShowOrigin show_origin;
  Layout layout;
  std::string out;

  std::string newline(int indent) const {
    return layout == Layout::kCompact ? std::string()
                                      : "\n" + std::string(static_cast<std::size_t>(indent), ' ');
  }
  std::string separator(int indent) const {
    return layout == Layout::kCompact ? ", " : "," + newline(indent);
  }

  void scalar(const Node& node) {
    if (show_origin == ShowOrigin::kNo) {
      out += json_scalar(node);
      return;
    }
    out += "{\"value\": " + json_scalar(node) +
           ", \"origin\": " + json_quote(node.location.file_line()) + "}";
  }

  void sequence(const Node& node, int indent) {
    if (node.items.empty()) return void(out += "[]");
    out += "[" + newline(indent + 2);
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      if (i > 0) out += separator(indent + 2);
      value(node.items[i], indent + 2);
    }
    out += newline(indent) + "]";
  }

  void map(const Node& node, int indent) {
    if (node.entries.empty()) return void(out += "{}");
    out += "{" + newline(indent + 2);
    for (std::size_t i = 0; i < node.entries.size(); ++i) {
      if (i > 0) out += separator(indent + 2);
      out += json_quote(node.entries[i].key) + ": ";
      value(node.entries[i].value, indent + 2);
    }
    out += newline(indent) + "}";
  }

  void value(const Node& node, int indent) {
    if (node.kind == NodeKind::kSequence) return sequence(node, indent);
    if (node.kind == NodeKind::kMap) return map(node, indent);
    scalar(node);
  }
};

}  // namespace

std::string json_scalar(const Node& scalar) {
  if (scalar.sensitive) return json_quote("(sensitive)");
  switch (scalar.kind) {
    case NodeKind::kNull:
      return "null";
    case NodeKind::kBool:
      return model::is_true_literal(scalar.text) ? "true" : "false";
    case NodeKind::kInt:
      return integer_json(scalar.text);
    case NodeKind::kFloat:
      return float_json(scalar.text);
    default:
      return json_quote(scalar.text);
  }
}

std::string render_json(const Node& document, ShowOrigin show_origin) {
  Writer writer{show_origin, Layout::kPretty, {}};
  writer.value(document, 0);
  return writer.out + "\n";
}

std::string render_json_compact(const Node& value) {
  Writer writer{ShowOrigin::kNo, Layout::kCompact, {}};
  writer.value(value, 0);
  return writer.out;
}

}  // namespace run::render
