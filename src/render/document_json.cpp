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
  if (text.find_first_of("0123456789") == std::string::npos || !std::isfinite(value)) return json_quote(text);
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (error != std::errc()) return json_quote(text);
  std::string shown(buffer, end);
  if (shown.find_first_of(".e") == std::string::npos) shown += ".0";
  return shown;
}

void write(const Node& node, int indent, ShowOrigin show_origin, std::string& out);

void write_scalar(const Node& node, ShowOrigin show_origin, std::string& out) {
  if (show_origin == ShowOrigin::kNo) {
    out += json_scalar(node);
    return;
  }
  out += "{\"value\": " + json_scalar(node) + ", \"origin\": " + json_quote(node.location.file_line()) + "}";
}

void write(const Node& node, int indent, ShowOrigin show_origin, std::string& out) {
  std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  if (node.kind == NodeKind::kSequence) {
    if (node.items.empty()) return void(out += "[]");
    out += "[\n";
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      out += pad;
      write(node.items[i], indent + 2, show_origin, out);
      out += i + 1 < node.items.size() ? ",\n" : "\n";
    }
    out += std::string(static_cast<std::size_t>(indent), ' ') + "]";
    return;
  }
  if (node.kind != NodeKind::kMap) return write_scalar(node, show_origin, out);
  std::vector<const model::MapEntry*> visible;
  for (const auto& entry : node.entries)
    if (!entry.key.starts_with("x-")) visible.push_back(&entry);
  if (visible.empty()) return void(out += "{}");
  out += "{\n";
  for (std::size_t i = 0; i < visible.size(); ++i) {
    out += pad + json_quote(visible[i]->key) + ": ";
    write(visible[i]->value, indent + 2, show_origin, out);
    out += i + 1 < visible.size() ? ",\n" : "\n";
  }
  out += std::string(static_cast<std::size_t>(indent), ' ') + "}";
}

}  // namespace

std::string json_scalar(const Node& scalar) {
  if (scalar.sensitive) return json_quote("(sensitive)");
  switch (scalar.kind) {
    case NodeKind::kNull: return "null";
    case NodeKind::kBool: return model::is_true_literal(scalar.text) ? "true" : "false";
    case NodeKind::kInt: return integer_json(scalar.text);
    case NodeKind::kFloat: return float_json(scalar.text);
    default: return json_quote(scalar.text);
  }
}

std::string render_json(const Node& document, ShowOrigin show_origin) {
  std::string out;
  write(document, 0, show_origin, out);
  out += "\n";
  return out;
}

}  // namespace run::render
