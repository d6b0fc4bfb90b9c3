#include "render/document_diff_render.h"

#include "core/json_text.h"
#include "render/document_json.h"
#include "render/document_yaml.h"
#include "render/markdown_cell.h"

namespace run::render {

namespace {

using model::DifferenceKind;
using model::FieldDifference;
using model::Node;

/// Collections appear as values only when they are empty, or when the other side holds
/// something of another kind there; either way one line is enough.
constexpr std::size_t kMaxCollectionText = 200;

std::string value_text(const Node& node) {
  if (node.is_scalar()) return yaml_scalar(node);
  return flow_text(node, kMaxCollectionText);
}

std::string origin_of(const std::optional<Node>& node) {
  if (!node || !node->location.known()) return {};
  return node->location.file_line();
}

std::string plural(std::size_t count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

// ---- text

std::string symbol(DifferenceKind kind) {
  switch (kind) {
    case DifferenceKind::kChanged:
      return "~";
    case DifferenceKind::kAdded:
      return "+";
    case DifferenceKind::kRemoved:
      return "-";
  }
  return "?";
}

Hue hue_of(DifferenceKind kind) {
  switch (kind) {
    case DifferenceKind::kChanged:
      return Hue::kYellow;
    case DifferenceKind::kAdded:
      return Hue::kGreen;
    case DifferenceKind::kRemoved:
      return Hue::kRed;
  }
  return Hue::kBold;
}

/// "# a-origin -> b-origin" for a change (one origin when both sides name the same line).
std::string origin_comment(const FieldDifference& difference) {
  std::string a = origin_of(difference.a);
  std::string b = origin_of(difference.b);
  if (difference.kind != DifferenceKind::kChanged || a == b || a.empty() || b.empty()) {
    std::string known = a.empty() ? b : a;
    return known.empty() ? "" : "  # " + known;
  }
  return "  # " + a + " -> " + b;
}

std::string text_line(const FieldDifference& difference, Color color) {
  std::string line =
      "  " + paint(symbol(difference.kind), hue_of(difference.kind), color) + " " + difference.path;
  if (difference.kind == DifferenceKind::kChanged)
    line += ": " + value_text(*difference.a) + " -> " + value_text(*difference.b);
  else
    line += " = " +
            value_text(difference.kind == DifferenceKind::kAdded ? *difference.b : *difference.a);
  return line + paint(origin_comment(difference), Hue::kDim, color) + "\n";
}

// ---- markdown

/// `text` as a code span that its own backticks cannot close.
std::string code_span(const std::string& text) {
  std::string ticks = "`";
  while (text.find(ticks) != std::string::npos) ticks += "`";
  std::string pad = text.find('`') != std::string::npos ? " " : "";
  return ticks + pad + escape_cell(text) + pad + ticks;
}

std::string markdown_cell(const std::optional<Node>& node) {
  if (!node) return "";
  std::string cell = code_span(value_text(*node));
  std::string origin = origin_of(node);
  if (!origin.empty()) cell += "<br><sub>" + escape_cell(origin) + "</sub>";
  return cell;
}

std::string emoji(DifferenceKind kind) {
  switch (kind) {
    case DifferenceKind::kChanged:
      return "🟡";
    case DifferenceKind::kAdded:
      return "🟢";
    case DifferenceKind::kRemoved:
      return "🔴";
  }
  return "";
}

std::string markdown_row(const FieldDifference& difference) {
  return "| " + emoji(difference.kind) + " `" + symbol(difference.kind) + "` | " +
         code_span(difference.path) + " | " + markdown_cell(difference.a) + " | " +
         markdown_cell(difference.b) + " |\n";
}

std::string markdown_side(const DiffSide& side) {
  std::string text = code_span(side.label());
  return side.revision.empty() ? text + " (working tree)"
                               : text + " (" + code_span(side.short_id) + ")";
}

// ---- json

std::string nullable(const std::string& text) { return text.empty() ? "null" : json_quote(text); }

std::string side_json(const DiffSide& side) {
  return "{\"label\": " + json_quote(side.label()) +
         ", \"environment\": " + json_quote(side.environment) +
         ", \"revision\": " + nullable(side.revision) +
         ", \"commit\": " + nullable(side.commit_id) + "}";
}

std::string value_json(const std::optional<Node>& node) {
  if (!node) return "null";
  return "{\"value\": " + render_json_compact(*node) +
         ", \"origin\": " + nullable(origin_of(node)) +
         ", \"sensitive\": " + (node->sensitive ? "true" : "false") + "}";
}

std::string steps_json(const std::vector<std::string>& steps) {
  std::string out = "[";
  for (std::size_t i = 0; i < steps.size(); ++i) out += (i ? ", " : "") + json_quote(steps[i]);
  return out + "]";
}

std::string difference_json(const FieldDifference& difference) {
  return "    {\"path\": " + json_quote(difference.path) +
         ", \"steps\": " + steps_json(difference.steps) +
         ", \"change\": " + json_quote(model::to_string(difference.kind)) +
         ",\n     \"a\": " + value_json(difference.a) +
         ",\n     \"b\": " + value_json(difference.b) + "}";
}

}  // namespace

std::string DiffSide::label() const {
  return revision.empty() ? environment : revision + ":" + environment;
}

std::string DiffSide::described() const {
  return revision.empty() ? label() + " (working tree)" : label() + " (" + short_id + ")";
}

std::string diff_summary_line(const model::DocumentDiff& diff, const DiffSide& a,
                              const DiffSide& b) {
  if (diff.identical())
    return "No differences: " + a.label() + " and " + b.label() + " render the same state.";
  model::DiffSummary summary = diff.summary();
  return plural(summary.total(), "field") + (summary.total() == 1 ? " differs: " : " differ: ") +
         std::to_string(summary.changed) + " changed, " + std::to_string(summary.added) +
         " added (only in " + b.label() + "), " + std::to_string(summary.removed) +
         " removed (only in " + a.label() + ").";
}

std::string document_diff_text(const model::DocumentDiff& diff, const DiffSide& a,
                               const DiffSide& b, Color color) {
  std::string out = paint("--- a: " + a.described(), Hue::kBold, color) + "\n";
  out += paint("+++ b: " + b.described(), Hue::kBold, color) + "\n\n";
  for (const FieldDifference& difference : diff.differences) out += text_line(difference, color);
  if (!diff.identical()) out += "\n";
  return out + paint(diff_summary_line(diff, a, b), Hue::kBold, color) + "\n";
}

std::string document_diff_markdown(const model::DocumentDiff& diff, const DiffSide& a,
                                   const DiffSide& b, std::size_t max_length) {
  std::string out = "**" + escape_cell(diff_summary_line(diff, a, b)) + "**\n\n";
  out += "#### `run diff` " + markdown_side(a) + " → " + markdown_side(b) + "\n\n";
  if (diff.identical()) return out;
  out += "| | field | " + code_span(a.label()) + " | " + code_span(b.label()) +
         " |\n|---|---|---|---|\n";
  std::size_t shown = 0;
  for (const FieldDifference& difference : diff.differences) {
    std::string row = markdown_row(difference);
    if (out.size() + row.size() + 200 > max_length) break;
    out += row;
    ++shown;
  }
  std::size_t hidden = diff.differences.size() - shown;
  if (hidden > 0)
    out += "\n_" + plural(hidden, "more field") +
           " not shown: the comment would pass GitHub's size limit. Run `run diff` for the whole "
           "diff._\n";
  return out;
}

std::string document_diff_json(const model::DocumentDiff& diff, const DiffSide& a,
                               const DiffSide& b) {
  model::DiffSummary summary = diff.summary();
  std::string out = "{\n  \"format_version\": " + json_quote(kDiffFormatVersion) + ",\n";
  out += "  \"a\": " + side_json(a) + ",\n";
  out += "  \"b\": " + side_json(b) + ",\n";
  out += "  \"identical\": " + std::string(diff.identical() ? "true" : "false") + ",\n";
  out += "  \"summary\": {\"changed\": " + std::to_string(summary.changed) +
         ", \"added\": " + std::to_string(summary.added) +
         ", \"removed\": " + std::to_string(summary.removed) + "},\n";
  out += "  \"differences\": [";
  for (std::size_t i = 0; i < diff.differences.size(); ++i)
    out += (i ? ",\n" : "\n") + difference_json(diff.differences[i]);
  return out + (diff.differences.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

}  // namespace run::render
