#include "config/yaml_text_edit.h"

#include <algorithm>
#include <optional>

#include "config/yaml_loader.h"
#include "model/document.h"
#include "model/scalar_type.h"

namespace run::config {

namespace {

using model::MapEntry;
using model::Node;
using model::NodeKind;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kNone = std::string_view::npos;
constexpr std::size_t kDefaultIndentStep = 2;
constexpr std::size_t kMaxIndentStep = 8;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

/// The text as lines, with the offsets the edits need. The parser's columns count bytes, so
/// (line, column) maps to an offset without decoding UTF-8.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }

  std::size_t count() const { return starts_.size(); }
  std::size_t start(std::size_t line) const { return starts_[line]; }
  /// Where the next line starts (the end of the text for the last one).
  std::size_t next_start(std::size_t line) const {
    return line + 1 < count() ? starts_[line + 1] : text_.size();
  }
  /// Past the line's content, before its "\n" or "\r\n".
  std::size_t content_end(std::size_t line) const {
    std::size_t end = line + 1 < count() ? starts_[line + 1] - 1 : text_.size();
    if (end > start(line) && text_[end - 1] == '\r') --end;
    return end;
  }
  std::string_view content(std::size_t line) const {
    return text_.substr(start(line), content_end(line) - start(line));
  }
  std::size_t indent(std::size_t line) const {
    std::string_view text = content(line);
    return std::min(text.find_first_not_of(' '), text.size());
  }
  bool is_blank_or_comment(std::size_t line) const {
    std::string_view text = content(line);
    std::size_t first = text.find_first_not_of(" \t");
    return first == kNone || text[first] == '#';
  }
  /// A `---` or `...` line: it ends the document's top-level mapping.
  bool is_document_marker(std::size_t line) const {
    std::string_view text = content(line);
    return (text.starts_with("---") || text.starts_with("...")) &&
           (text.size() == 3 || is_blank(text[3]));
  }
  std::size_t line_of(std::size_t offset) const {
    return static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), offset) -
                                    starts_.begin()) -
           1;
  }
  std::size_t offset_of(const SourceLocation& where) const {
    return start(static_cast<std::size_t>(where.line - 1)) +
           static_cast<std::size_t>(where.column - 1);
  }
  /// The file's line ending, taken from its first line.
  std::string newline() const {
    std::size_t first = text_.find('\n');
    return first != kNone && first > 0 && text_[first - 1] == '\r' ? "\r\n" : "\n";
  }
  bool ends_with_newline() const { return !text_.empty() && text_.back() == '\n'; }

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

/// Whether the text holds anything but blank lines, comments and `---`.
bool has_content(const Lines& lines) {
  for (std::size_t line = 0; line < lines.count(); ++line)
    if (!lines.is_blank_or_comment(line) && lines.content(line) != "---") return true;
  return false;
}

/// Past a quoted scalar that starts with its quote at `start`, or kNone when it is not closed.
std::size_t quoted_end(std::string_view text, std::size_t start) {
  char quote = text[start];
  for (std::size_t i = start + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;  // an escaped character, perhaps a quote
      continue;
    }
    if (text[i] != quote) continue;
    if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
      ++i;  // '' is a quote inside single quotes
      continue;
    }
    return i + 1;
  }
  return kNone;
}

/// Past a plain scalar that ends on its line: before a comment (" #") or the line's end,
/// without the blanks before either.
std::size_t plain_value_end(std::string_view text, std::size_t start, std::size_t line_end) {
  std::size_t end = start;
  for (std::size_t i = start; i < line_end; ++i) {
    if (text[i] == '#' && i > start && is_blank(text[i - 1])) break;
    if (!is_blank(text[i])) end = i + 1;
  }
  return end;
}

/// Past the ':' of a key that starts at `start`, or kNone when there is none on the line.
std::size_t past_key_colon(std::string_view text, std::size_t start, std::size_t line_end) {
  // A key the parser places at the end of its line or of the text (a `?` line's empty key)
  // has no character to look at there.
  if (start >= line_end) return kNone;
  std::size_t i = start;
  if (text[start] == '"' || text[start] == '\'') {
    i = quoted_end(text, start);
    if (i == kNone || i > line_end) return kNone;
    while (i < line_end && is_blank(text[i])) ++i;
    return i < line_end && text[i] == ':' ? i + 1 : kNone;
  }
  for (; i < line_end; ++i)
    if (text[i] == ':' && (i + 1 == line_end || is_blank(text[i + 1]))) return i + 1;
  return kNone;
}

/// The first character at or after `offset` that is neither blank, a line break nor part of
/// a comment.
std::size_t skip_to_content(std::string_view text, std::size_t offset) {
  while (offset < text.size()) {
    char c = text[offset];
    if (c == '#') {
      offset = text.find('\n', offset);
      if (offset == kNone) return text.size();
      continue;
    }
    if (!is_blank(c) && c != '\r' && c != '\n') return offset;
    ++offset;
  }
  return offset;
}

// --- writing a scalar -----------------------------------------------------------------------

enum class Quoting { kPlain, kSingle, kDouble };

bool has_control_character(std::string_view value) {
  return std::any_of(value.begin(), value.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

/// Whether `value` reads back as itself when written plain after `key: ` (block context).
bool plain_reads_back(std::string_view value) {
  constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (value.empty() || kIndicators.find(value.front()) != kNone) return false;
  if (is_blank(value.front()) || is_blank(value.back()) || value.back() == ':') return false;
  if (has_control_character(value)) return false;
  for (std::size_t i = 0; i + 1 < value.size(); ++i) {
    if (value[i] == ':' && is_blank(value[i + 1])) return false;  // a mapping
    if (is_blank(value[i]) && value[i + 1] == '#') return false;  // a comment
  }
  return true;
}

std::string single_quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string double_quoted(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool is_number(NodeKind kind) { return kind == NodeKind::kInt || kind == NodeKind::kFloat; }

/// Whether `value`, written plain, has the kind of the plain scalar it replaces: a number
/// stays a number, and anything else must read back as a string (not `yes`, `null`, `1.10`).
bool plain_keeps_kind(const std::string& value, NodeKind replaced) {
  NodeKind kind = model::resolve_plain_scalar(value);
  return is_number(replaced) ? is_number(kind) : kind == NodeKind::kString;
}

/// `value` as a scalar in the style asked for when it allows it, else double-quoted.
/// `replaced` is the kind of the plain scalar it replaces (kString for a new one).
std::string scalar_text(const std::string& value, Quoting quoting, NodeKind replaced) {
  if (quoting == Quoting::kSingle && !has_control_character(value)) return single_quoted(value);
  if (quoting == Quoting::kPlain && plain_reads_back(value) && plain_keeps_kind(value, replaced))
    return value;
  return double_quoted(value);
}

/// A key as written in a new line: plain when it reads back as itself.
std::string key_text(const std::string& key) {
  return plain_reads_back(key) ? key : double_quoted(key);
}

Quoting quoting_at(char first) {
  if (first == '"') return Quoting::kDouble;
  if (first == '\'') return Quoting::kSingle;
  return Quoting::kPlain;
}

// --- the edit ---------------------------------------------------------------------------------

/// A piece of the text replaced by another.
struct Splice {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string text;
};

std::string apply_splices(std::string_view text, std::vector<Splice> splices) {
  std::sort(splices.begin(), splices.end(),
            [](const Splice& a, const Splice& b) { return a.offset > b.offset; });
  std::string out(text);
  for (const Splice& splice : splices) out.replace(splice.offset, splice.length, splice.text);
  return out;
}

/// Walks the path through the parsed file and turns the request into splices of its text.
class ScalarEditor {
 public:
  ScalarEditor(std::string_view text, const std::vector<std::string>& path,
               const std::string& value, const std::string& file)
      : text_(text), lines_(text), path_(path), value_(value), file_(file) {}

  /// The text of a file with no content, with the whole path appended.
  std::string append_whole_path() const {
    std::string out(text_);
    if (!out.empty() && !lines_.ends_with_newline()) out += lines_.newline();
    return out + new_lines(0, 0, indent_step());
  }

  Result<std::vector<Splice>> splices_for(const Node& root) {
    if (std::size_t braces_end = empty_flow_map_end(root); braces_end != kNone) {
      std::size_t braces = lines_.offset_of(root.location);
      return std::vector<Splice>{
          {braces, braces_end - braces, ""},
          {text_.size(), 0, with_break_before(new_lines(0, 0, indent_step()))}};
    }
    if (Status block = check_block_map(root, 0); !block) return block.errors();
    key_indents_.push_back(key_indent_of(root));
    const Node* map = &root;
    for (std::size_t depth = 0; depth < path_.size(); ++depth) {
      const MapEntry* entry = map->find_entry(path_[depth]);
      if (entry == nullptr) return insert_under(*map, depth);
      if (Status placed = check_in_place(*map, *entry, depth + 1); !placed) return placed.errors();
      if (depth + 1 == path_.size()) return replace_value(*entry);
      const Node& child = entry->value;
      if (empty_flow_map_end(child) != kNone) return fill_empty_map(*entry, depth + 1);
      if (!child.is_map()) return refuse(where_value(*entry), depth + 1, not_a_mapping(child));
      if (Status block = check_block_map(child, depth + 1); !block) return block.errors();
      key_indents_.push_back(key_indent_of(child));
      map = &child;
    }
    return refuse(root.location, 0, "nothing to set: the path is empty");
  }

 private:
  Diagnostic refuse(const SourceLocation& where, std::size_t depth,
                    const std::string& message) const {
    std::vector<std::string> steps(path_.begin(),
                                   path_.begin() + static_cast<std::ptrdiff_t>(depth));
    return make_error(where, model::join_path(steps), message,
                      "edit " + file_ + " by hand: set " + model::join_path(path_) + " to " +
                          double_quoted(value_));
  }

  static std::string not_a_mapping(const Node& node) {
    if (node.kind == NodeKind::kNull)
      return "the value here is null, not a mapping (in an overlay, null removes the key)";
    return "the value here is a " + std::string(model::kind_name(node.kind)) + ", not a mapping";
  }

  char first_char_at(const SourceLocation& where) const {
    std::size_t offset = lines_.offset_of(where);
    return offset < text_.size() ? text_[offset] : '\0';
  }

  /// A value's location, or its key's for an empty value (the parser puts an empty value
  /// where the next token starts).
  SourceLocation where_value(const MapEntry& entry) const {
    return is_empty_value(entry) ? entry.key_location : entry.value.location;
  }

  /// `key:` with nothing after it on its line. The parser gives it, like `key: null`, a null
  /// with no text, so only the text tells them apart.
  bool is_empty_value(const MapEntry& entry) const {
    if (entry.value.kind != NodeKind::kNull) return false;
    std::size_t colon_end = past_colon(entry);
    if (colon_end == kNone) return false;
    std::size_t next = skip_to_content(text_, colon_end);
    return next >= text_.size() || lines_.line_of(next) != lines_.line_of(colon_end - 1);
  }

  static std::size_t key_indent_of(const Node& map) {
    return static_cast<std::size_t>(map.location.column - 1);
  }

  /// Past the `}` of an empty flow mapping (`{}`, `{ }`) on one line, else kNone.
  std::size_t empty_flow_map_end(const Node& node) const {
    if (!node.is_map() || !node.entries.empty() || first_char_at(node.location) != '{')
      return kNone;
    std::size_t inside = lines_.offset_of(node.location) + 1;
    std::size_t close = text_.find_first_not_of(" \t", inside);
    return close != kNone && text_[close] == '}' ? close + 1 : kNone;
  }

  /// Refuses what run cannot edit safely at the start of a value: a flow collection, an
  /// anchor (an alias elsewhere would change too), an alias (the value lives elsewhere), a
  /// tag.
  Status check_value_start(const SourceLocation& where, std::size_t depth) const {
    switch (first_char_at(where)) {
      case '{':
        return refuse(where, depth, "cannot edit inside a flow-style mapping ({ ... })");
      case '[':
        return refuse(where, depth, "cannot edit inside a flow-style list ([ ... ])");
      case '&':
        return refuse(where, depth,
                      "cannot edit a value with an anchor (&): the aliases of it would change too");
      case '*':
        return refuse(where, depth, "cannot edit a value that comes from an alias (*)");
      case '!':
        return refuse(where, depth, "cannot edit a value with a tag (!)");
      default:
        return ok_status();
    }
  }

  Status check_block_map(const Node& map, std::size_t depth) const {
    if (Status start = check_value_start(map.location, depth); !start) return start;
    std::size_t first_line = static_cast<std::size_t>(map.location.line - 1);
    std::size_t key_indent = key_indent_of(map);
    std::size_t last_line = last_line_of_map(map);
    for (std::size_t line = first_line; line <= last_line; ++line) {
      if (lines_.is_blank_or_comment(line) || lines_.indent(line) != key_indent) continue;
      if (is_merge_key(lines_.content(line).substr(key_indent)))
        return refuse(
            SourceLocation{file_, static_cast<int>(line + 1), static_cast<int>(key_indent + 1)},
            depth, "cannot edit a mapping that uses a merge key (<<)");
    }
    return ok_status();
  }

  static bool is_merge_key(std::string_view key_line) {
    if (!key_line.starts_with("<<")) return false;
    std::size_t colon = key_line.find_first_not_of(" \t", 2);
    return colon != kNone && key_line[colon] == ':';
  }

  /// The last line that belongs to the block mapping: its own keys and everything indented
  /// below them, without the comments and blank lines after its last value.
  std::size_t last_line_of_map(const Node& map) const {
    std::size_t key_indent = key_indent_of(map);
    std::size_t last = static_cast<std::size_t>(map.location.line - 1);
    for (std::size_t line = last + 1; line < lines_.count(); ++line) {
      if (lines_.is_blank_or_comment(line)) continue;
      if (lines_.indent(line) < key_indent || (key_indent == 0 && lines_.is_document_marker(line)))
        break;
      last = line;
    }
    return last;
  }

  /// Whether the entry is written in this mapping, where its location says: not brought in
  /// by a merge key or an alias.
  Status check_in_place(const Node& map, const MapEntry& entry, std::size_t depth) const {
    if (is_complex_key(entry))
      return refuse(entry.key_location, depth, "cannot edit the value of a complex key (? key)");
    const std::string moved = "cannot edit a value that comes from a merge key or an alias";
    if (entry.key_location.column != map.location.column ||
        entry.key_location.line < map.location.line)
      return refuse(entry.key_location, depth, moved);
    std::size_t colon_end = past_colon(entry);
    if (colon_end == kNone) return refuse(entry.key_location, depth, moved);
    if (is_empty_value(entry)) return ok_status();
    if (skip_to_content(text_, colon_end) != lines_.offset_of(entry.value.location))
      return refuse(entry.key_location, depth, moved);
    if (empty_flow_map_end(entry.value) != kNone)
      return ok_status();  // `{}` becomes a block mapping
    return check_value_start(entry.value.location, depth);
  }

  /// `? key` (its value on a `:` line of its own, or none): no `key: value` line to edit.
  bool is_complex_key(const MapEntry& entry) const {
    std::string_view line = lines_.content(static_cast<std::size_t>(entry.key_location.line - 1));
    std::size_t first = line.find_first_not_of(" \t");
    return first != kNone && line[first] == '?' &&
           (first + 1 == line.size() || is_blank(line[first + 1]));
  }

  std::size_t past_colon(const MapEntry& entry) const {
    std::size_t key_line = static_cast<std::size_t>(entry.key_location.line - 1);
    return past_key_colon(text_, lines_.offset_of(entry.key_location),
                          lines_.content_end(key_line));
  }

  Result<std::vector<Splice>> replace_value(const MapEntry& entry) const {
    const Node& node = entry.value;
    std::size_t depth = path_.size();
    if (!node.is_scalar())
      return refuse(node.location, depth,
                    "the value here is a " + std::string(model::kind_name(node.kind)) +
                        ", not a single value");
    if (is_empty_value(entry))
      return std::vector<Splice>{
          {past_colon(entry), 0, " " + scalar_text(value_, Quoting::kPlain, NodeKind::kString)}};
    std::size_t start = lines_.offset_of(node.location);
    char first = text_[start];
    if (first == '|' || first == '>')
      return refuse(node.location, depth, "cannot replace a block scalar (| or >)");
    Quoting quoting = quoting_at(first);
    std::size_t end = quoting == Quoting::kPlain
                          ? plain_value_end(text_, start, lines_.content_end(lines_.line_of(start)))
                          : quoted_end(text_, start);
    if (end == kNone) return refuse(node.location, depth, "the quoted value here is not closed");
    // A null (`null`, `~`) has no text in the tree; it is one word on its line.
    if (quoting == Quoting::kPlain && node.kind != NodeKind::kNull &&
        text_.substr(start, end - start) != node.text)
      return refuse(node.location, depth,
                    "cannot replace a plain value written over several lines");
    return std::vector<Splice>{{start, end - start, scalar_text(value_, quoting, node.kind)}};
  }

  /// path_[depth..] is missing below `map`: new lines after the map's last line, at the
  /// indentation of its keys.
  Result<std::vector<Splice>> insert_under(const Node& map, std::size_t depth) const {
    std::size_t key_indent = key_indent_of(map);
    std::size_t after = last_line_of_map(map);
    std::string lines = new_lines(depth, key_indent, indent_step());
    return std::vector<Splice>{{lines_.next_start(after), 0,
                                after + 1 == lines_.count() ? with_break_before(lines) : lines}};
  }

  /// `key: {}` on the path: the `{}` goes, and path_[depth..] is written below the key.
  Result<std::vector<Splice>> fill_empty_map(const MapEntry& entry, std::size_t depth) const {
    std::size_t key_indent = static_cast<std::size_t>(entry.key_location.column - 1);
    std::size_t colon_end = past_colon(entry);
    std::size_t braces_end = empty_flow_map_end(entry.value);
    std::size_t key_line = static_cast<std::size_t>(entry.key_location.line - 1);
    std::size_t step = indent_step();
    std::string lines = new_lines(depth, key_indent + step, step);
    std::size_t at = lines_.next_start(key_line);
    return std::vector<Splice>{
        {colon_end, braces_end - colon_end, ""},
        {at, 0, key_line + 1 == lines_.count() ? with_break_before(lines) : lines}};
  }

  /// For text added after the last line: a line break first when the file has none at its
  /// end, and none at the end of the added text, so the file still ends as it did.
  std::string with_break_before(std::string lines) const {
    if (text_.empty() || lines_.ends_with_newline()) return lines;
    std::string newline = lines_.newline();
    lines.resize(lines.size() - newline.size());
    return newline + lines;
  }

  /// "key:" lines for path_[from..], the last one with the value, each level `step` deeper.
  std::string new_lines(std::size_t from, std::size_t indent, std::size_t step) const {
    std::string out;
    for (std::size_t i = from; i < path_.size(); ++i) {
      out += std::string(indent + (i - from) * step, ' ') + key_text(path_[i]) + ":";
      if (i + 1 == path_.size())
        out += " " + scalar_text(value_, Quoting::kPlain, NodeKind::kString);
      out += lines_.newline();
    }
    return out;
  }

  /// How far the file indents one level: the last two mappings of the path, else the first
  /// indented line, else 2.
  std::size_t indent_step() const {
    std::size_t step = 0;
    if (key_indents_.size() >= 2)
      step = key_indents_.back() - key_indents_[key_indents_.size() - 2];
    for (std::size_t line = 0; step == 0 && line < lines_.count(); ++line)
      if (!lines_.is_blank_or_comment(line) && lines_.indent(line) > 0) step = lines_.indent(line);
    return step == 0 || step > kMaxIndentStep ? kDefaultIndentStep : step;
  }

  std::string_view text_;
  Lines lines_;
  const std::vector<std::string>& path_;
  const std::string& value_;
  const std::string& file_;
  std::vector<std::size_t> key_indents_;  ///< of each block mapping walked, top first
};

/// Whether the edited text holds `value` at `path`: the edit is checked by the parser that
/// will read the file, not trusted.
Status check_edited(const std::string& edited, const std::vector<std::string>& path,
                    const std::string& value, const std::string& file) {
  std::string where = model::join_path(path);
  Result<Node> parsed = parse_yaml(edited, file);
  const Node* node = parsed ? model::lookup(*parsed, path) : nullptr;
  if (node != nullptr && node->is_scalar() && node->text == value) return ok_status();
  return make_error(SourceLocation{file, 0, 0}, where,
                    "cannot set " + where + " safely with a text edit; nothing was changed",
                    "edit " + file + " by hand: set " + where + " to " + double_quoted(value));
}

}  // namespace

Result<std::string> set_scalar(std::string_view yaml_text, const std::vector<std::string>& path,
                               const std::string& value, const std::string& file_for_messages) {
  if (path.empty())
    return make_error(SourceLocation{file_for_messages, 0, 0}, "",
                      "nothing to set: the path is empty");
  bool bom = yaml_text.starts_with(kBom);
  std::string_view text = bom ? yaml_text.substr(kBom.size()) : yaml_text;
  ScalarEditor editor(text, path, value, file_for_messages);
  std::string edited;
  if (!has_content(Lines(text))) {
    edited = editor.append_whole_path();
  } else {
    Result<Node> root = parse_yaml(text, file_for_messages);
    if (!root) return root.errors();
    Result<std::vector<Splice>> splices = editor.splices_for(*root);
    if (!splices) return splices.errors();
    edited = apply_splices(text, std::move(*splices));
  }
  if (bom) edited.insert(0, kBom);
  if (Status checked = check_edited(edited, path, value, file_for_messages); !checked)
    return checked.errors();
  return edited;
}

}  // namespace run::config
