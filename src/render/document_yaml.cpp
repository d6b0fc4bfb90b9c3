#include "render/document_yaml.h"

#include "core/json_text.h"
#include "model/scalar_type.h"

namespace run::render {

namespace {

using model::Node;
using model::NodeKind;

/// Whether a plain string needs quotes to be read back as the same string.
bool needs_quotes(std::string_view text) {
  if (text.empty() || model::resolve_plain_scalar(text) != NodeKind::kString) return true;
  if (text.front() == ' ' || text.back() == ' ') return true;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(text.front()) != std::string_view::npos)
    return true;
  if (text.find(": ") != std::string_view::npos || text.find(" #") != std::string_view::npos)
    return true;
  if (text.back() == ':') return true;
  // "8080:8080" is a string in YAML 1.2 but a base-60 number to YAML 1.1 readers.
  if (text.front() >= '0' && text.front() <= '9' && text.find(':') != std::string_view::npos)
    return true;
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

// A plain "<<" key is a merge key to a YAML reader (and to our loader); only quoted is it a key.
std::string key_text(const std::string& key) {
  return needs_quotes(key) || key == "<<" ? json_quote(key) : key;
}

std::string origin_comment(const Node& node, ShowOrigin show_origin) {
  if (show_origin == ShowOrigin::kNo || !node.location.known()) return {};
  return "  # " + node.location.file_line();
}

bool is_empty_collection(const Node& node) {
  return (node.kind == NodeKind::kMap || node.kind == NodeKind::kSequence) && node.items.empty() &&
         node.entries.empty();
}

/// A value written on the line of its key (or its "- ").
std::string inline_value(const Node& node) {
  if (node.kind == NodeKind::kMap) return "{}";
  if (node.kind == NodeKind::kSequence) return "[]";
  return yaml_scalar(node);
}

bool is_inline(const Node& node) {
  if (node.kind == NodeKind::kMap) return node.entries.empty();
  return node.is_scalar() || is_empty_collection(node);
}

void write_node(const Node& node, int indent, ShowOrigin show_origin, std::string& out);

void write_map(const Node& node, int indent, ShowOrigin show_origin, std::string& out) {
  std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const auto& entry : node.entries) {
    out += pad + key_text(entry.key) + ":";
    if (is_inline(entry.value)) {
      out += " " + inline_value(entry.value) + origin_comment(entry.value, show_origin) + "\n";
      continue;
    }
    out += "\n";
    write_node(entry.value, indent + 2, show_origin, out);
  }
}

void write_sequence(const Node& node, int indent, ShowOrigin show_origin, std::string& out) {
  std::string pad(static_cast<std::size_t>(indent), ' ');
  for (const Node& item : node.items) {
    if (is_inline(item)) {
      out += pad + "- " + inline_value(item) + origin_comment(item, show_origin) + "\n";
      continue;
    }
    // A nested collection starts on the dash's line: write it indented, then fold the
    // first line's indentation into "- ".
    std::string nested;
    write_node(item, indent + 2, show_origin, nested);
    out += pad + "- " + nested.substr(static_cast<std::size_t>(indent) + 2);
  }
}

void write_node(const Node& node, int indent, ShowOrigin show_origin, std::string& out) {
  if (node.kind == NodeKind::kMap) return write_map(node, indent, show_origin, out);
  if (node.kind == NodeKind::kSequence) return write_sequence(node, indent, show_origin, out);
  out += std::string(static_cast<std::size_t>(indent), ' ') + inline_value(node) +
         origin_comment(node, show_origin) + "\n";
}

}  // namespace

std::string yaml_scalar(const Node& scalar) {
  if (scalar.sensitive) return "(sensitive)";
  switch (scalar.kind) {
    case NodeKind::kNull:
      return "null";
    case NodeKind::kString:
      return needs_quotes(scalar.text) ? json_quote(scalar.text) : scalar.text;
    default:
      return scalar.text;
  }
}

std::string render_yaml(const Node& document, ShowOrigin show_origin) {
  std::string out;
  write_node(document, 0, show_origin, out);
  return out;
}

std::string flow_text(const Node& node, std::size_t max_length) {
  std::string text;
  if (node.kind == NodeKind::kMap) {
    text = "{";
    for (const auto& entry : node.entries) {
      if (text.size() > 1) text += ", ";
      text += key_text(entry.key) + ": " + flow_text(entry.value, max_length);
      if (text.size() > max_length) break;
    }
    text += "}";
  } else if (node.kind == NodeKind::kSequence) {
    text = "[";
    for (const Node& item : node.items) {
      if (text.size() > 1) text += ", ";
      text += flow_text(item, max_length);
      if (text.size() > max_length) break;
    }
    text += "]";
  } else {
    text = yaml_scalar(node);
  }
  if (text.size() > max_length) text = text.substr(0, max_length - 3) + "...";
  return text;
}

}  // namespace run::render
