#include "config/yaml_loader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/utf8.h"
#include "model/scalar_type.h"

namespace run::config {

namespace {

using model::MapEntry;
using model::Node;
using model::NodeKind;

/// Thrown from inside the event handler to stop yaml-cpp's parser; caught in parse_yaml.
struct LoadError {
  Diagnostic diagnostic;
};

constexpr std::string_view kMergeKey = "<<";

std::size_t count_nodes(const Node& node) {
  std::size_t count = 1;
  for (const auto& item : node.items) count += count_nodes(item);
  for (const auto& entry : node.entries) count += count_nodes(entry.value);
  return count;
}

/// How many levels of maps and lists `node` spans: 0 for a scalar.
int nesting_height(const Node& node) {
  int below = 0;
  for (const auto& item : node.items) below = std::max(below, nesting_height(item));
  for (const auto& entry : node.entries) below = std::max(below, nesting_height(entry.value));
  return node.is_scalar() ? 0 : below + 1;
}

std::optional<NodeKind> kind_of_tag(const std::string& tag) {
  static const std::unordered_map<std::string, NodeKind> kTags = {
      {"tag:yaml.org,2002:str", NodeKind::kString},
      {"tag:yaml.org,2002:int", NodeKind::kInt},
      {"tag:yaml.org,2002:float", NodeKind::kFloat},
      {"tag:yaml.org,2002:bool", NodeKind::kBool},
      {"tag:yaml.org,2002:null", NodeKind::kNull}};
  auto it = kTags.find(tag);
  if (it == kTags.end()) return std::nullopt;
  return it->second;
}

/// Builds our tree from yaml-cpp's parse events. yaml-cpp's own Node API loses duplicate
/// keys and the quoted/plain distinction, and shares aliased nodes (so an alias bomb only
/// explodes when walked); events let us see and bound all of that as it is read.
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(std::string file, const YamlLimits& limits)
      : file_(std::move(file)), limits_(limits) {}

  /// Where a scalar that is not plain starts in the text, and its location.
  struct QuotedScalar {
    std::size_t offset = 0;
    SourceLocation location;
  };

  std::optional<Node> take_root() { return std::move(root_); }
  const std::optional<QuotedScalar>& last_quoted_scalar() const { return last_quoted_; }
  const SourceLocation& document_start() const { return document_start_; }

  void OnDocumentStart(const YAML::Mark& mark) override { document_start_ = location(mark); }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(model::make_scalar(NodeKind::kNull, "", location(mark)), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (open_anchors_.count(anchor) != 0)
      fail(mark,
           "alias *" + anchor_name(anchor) + " refers to a node that contains it (a cyclic alias)");
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark, "unknown alias");
    charge(mark, it->second.size);
    // Each anchored value is within the depth limit where it was written, but an alias
    // placed deep down, or aliases of aliases, would stack them past it; every walker
    // after the loader recurses, so the copy must fit too.
    if (static_cast<int>(stack_.size()) + it->second.height > limits_.max_depth)
      fail(mark, "nesting is deeper than " + std::to_string(limits_.max_depth) + " levels",
           "alias *" + anchor_name(anchor) + " nests its value here; aliases of aliases add up");
    add(it->second.node, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node node = model::make_scalar(NodeKind::kString, value, location(mark));
    if (tag != "?") last_quoted_ = QuotedScalar{static_cast<std::size_t>(mark.pos), node.location};
    if (tag == "?") {
      node.kind = model::resolve_plain_scalar(value);
    } else if (tag == "!") {
      node.style = model::ScalarStyle::kQuoted;
    } else if (auto kind = kind_of_tag(tag)) {
      node.kind = *kind;
      node.style = model::ScalarStyle::kQuoted;
    } else {
      fail(mark, "unsupported tag '" + tag + "'", "remove the tag; run reads plain YAML values");
    }
    add(std::move(node), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Node node;
    node.kind = NodeKind::kSequence;
    node.location = location(mark);
    open(mark, std::move(node), anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, model::make_map(location(mark)), anchor);
  }
  void OnMapEnd() override {
    apply_merge_keys(stack_.back());
    close();
  }

  void OnAnchor(const YAML::Mark&, const std::string& name) override { next_anchor_name_ = name; }

 private:
  struct AnchoredNode {
    Node node;
    std::size_t size = 0;  // nodes, charged again at each alias
    int height = 0;        // levels of nesting, checked again at each alias
  };
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    std::optional<MapEntry> pending_key;  // a map's key, waiting for its value
    std::vector<Node> merge_sources;      // values of `<<` keys, applied at the map's end
    // A map's keys and their index in node.entries: a scan per key would make a map of
    // tens of thousands of keys take minutes.
    std::unordered_map<std::string, std::size_t> key_index;
  };

  SourceLocation location(const YAML::Mark& mark) const {
    return SourceLocation{file_, mark.line + 1, mark.column + 1};
  }

  [[noreturn]] void fail(const YAML::Mark& mark, std::string message, std::string hint = {}) const {
    throw LoadError{make_error(location(mark), "", std::move(message), std::move(hint))};
  }
  [[noreturn]] void fail_at(const SourceLocation& where, std::string message,
                            std::string hint = {}) const {
    throw LoadError{make_error(where, "", std::move(message), std::move(hint))};
  }

  void charge(const YAML::Mark& mark, std::size_t nodes) {
    nodes_built_ += nodes;
    if (nodes_built_ <= limits_.max_nodes) return;
    fail(mark, "the document expands to more than " + std::to_string(limits_.max_nodes) + " values",
         "aliases that refer to aliases multiply; is this an alias bomb?");
  }

  std::string anchor_name(YAML::anchor_t anchor) const {
    auto it = anchor_names_.find(anchor);
    return it == anchor_names_.end() ? std::to_string(anchor) : it->second;
  }

  void remember_anchor_name(YAML::anchor_t anchor) {
    if (anchor == 0) return;
    anchor_names_[anchor] = next_anchor_name_;
  }

  void open(const YAML::Mark& mark, Node node, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      fail(mark, "nesting is deeper than " + std::to_string(limits_.max_depth) + " levels");
    charge(mark, 1);
    remember_anchor_name(anchor);
    if (anchor != 0) open_anchors_.insert(anchor);
    stack_.push_back(Frame{std::move(node), anchor, std::nullopt, {}, {}});
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.anchor != 0) open_anchors_.erase(frame.anchor);
    add(std::move(frame.node), frame.anchor);
  }

  void add(Node node, YAML::anchor_t anchor) {
    if (node.is_scalar()) charge_scalar(node);
    if (anchor != 0) {
      if (node.is_scalar()) remember_anchor_name(anchor);
      anchors_[anchor] = AnchoredNode{node, count_nodes(node), nesting_height(node)};
    }
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.kind == NodeKind::kSequence) {
      parent.node.items.push_back(std::move(node));
      return;
    }
    if (!parent.pending_key) {
      start_entry(parent, std::move(node));
      return;
    }
    MapEntry entry = std::move(*parent.pending_key);
    parent.pending_key.reset();
    entry.value = std::move(node);
    finish_entry(parent, std::move(entry));
  }

  void charge_scalar(const Node& node) {
    nodes_built_ += 1;
    if (nodes_built_ > limits_.max_nodes)
      fail_at(node.location,
              "the document has more than " + std::to_string(limits_.max_nodes) + " values");
  }

  void start_entry(Frame& map, Node key) {
    if (!key.is_scalar())
      fail_at(key.location, "a mapping key must be a plain value, not a " +
                                std::string(model::kind_name(key.kind)));
    MapEntry entry;
    entry.key = key.text;
    entry.key_location = key.location;
    // A quoted "<<" is an ordinary key; only the plain one is a merge key.
    if (key.text == kMergeKey && key.style == model::ScalarStyle::kQuoted) entry.key = "\"<<\"";
    map.pending_key = std::move(entry);
  }

  void finish_entry(Frame& map, MapEntry entry) {
    if (entry.key == kMergeKey) {
      map.merge_sources.push_back(std::move(entry.value));
      return;
    }
    if (entry.key == "\"<<\"") entry.key = std::string(kMergeKey);
    auto [first, inserted] = map.key_index.emplace(entry.key, map.node.entries.size());
    if (!inserted) {
      fail_at(entry.key_location, "duplicate key '" + entry.key + "'",
              "it is already set at line " +
                  std::to_string(map.node.entries[first->second].key_location.line) +
                  "; YAML keeps one of them silently, so remove the other");
    }
    map.node.entries.push_back(std::move(entry));
  }

  // `<<: *a` or `<<: [*a, *b]`: keys of the sources that the map does not set itself are
  // added; with several sources the first one that sets a key wins (YAML merge key spec).
  void apply_merge_keys(Frame& map) {
    for (const Node& source : map.merge_sources) {
      if (source.kind == NodeKind::kMap) {
        merge_from(map, source);
        continue;
      }
      if (source.kind != NodeKind::kSequence)
        fail_at(source.location, "a merge key '<<' takes a mapping or a list of mappings");
      for (const Node& item : source.items) {
        if (item.kind != NodeKind::kMap)
          fail_at(item.location, "a merge key '<<' takes a mapping or a list of mappings");
        merge_from(map, item);
      }
    }
  }

  static void merge_from(Frame& target, const Node& source) {
    for (const MapEntry& entry : source.entries) {
      if (!target.key_index.emplace(entry.key, target.node.entries.size()).second) continue;
      target.node.entries.push_back(entry);
    }
  }

  std::string file_;
  YamlLimits limits_;
  std::vector<Frame> stack_;
  std::optional<Node> root_;
  std::unordered_map<YAML::anchor_t, AnchoredNode> anchors_;
  std::unordered_map<YAML::anchor_t, std::string> anchor_names_;
  std::set<YAML::anchor_t> open_anchors_;
  std::string next_anchor_name_;
  std::size_t nodes_built_ = 0;
  SourceLocation document_start_;
  std::optional<QuotedScalar> last_quoted_;
};

/// The first character that is neither blank nor part of a comment, for a file whose
/// document is empty: yaml-cpp reads a stray ',' as an empty document.
SourceLocation first_content(std::string_view text, const std::string& file) {
  int line = 1;
  int column = 1;
  bool in_comment = false;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      column = 1;
      in_comment = false;
      continue;
    }
    if (c == '#') in_comment = true;
    if (!in_comment && c != ' ' && c != '\t' && c != '\r')
      return SourceLocation{file, line, column};
    ++column;
  }
  return SourceLocation{file, 0, 0};
}

Diagnostic top_level_error(std::string_view text, const std::string& file,
                           const std::optional<Node>& root) {
  constexpr std::string_view kExpected =
      "expected a mapping with 'version', 'project' and 'services'";
  bool blank = text.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (!root)
    return make_error(SourceLocation{file, 0, 0}, "",
                      blank ? "the file is empty" : "the file has no content",
                      std::string(kExpected));
  if (root->kind == NodeKind::kNull) {
    SourceLocation content = first_content(text, file);
    if (!content.known() || content.line == 0)
      return make_error(SourceLocation{file, 0, 0}, "", "the file has no content",
                        std::string(kExpected));
    return make_error(content, "", "the file is not a YAML mapping", std::string(kExpected));
  }
  return make_error(
      root->location, "",
      "the top level is a " + std::string(model::kind_name(root->kind)) + ", not a mapping",
      std::string(kExpected));
}

Diagnostic parser_error(const YAML::Exception& error, const std::string& file) {
  return make_error(SourceLocation{file, error.mark.line + 1, error.mark.column + 1}, "",
                    "invalid YAML: " + error.msg);
}

/// yaml-cpp's marks count bytes from after a leading byte order mark.
std::string_view without_bom(std::string_view text) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  return text;
}

/// Past the anchors and tags (`&a`, `!!str`) written before a node that starts at `offset`.
std::size_t skip_node_properties(std::string_view text, std::size_t offset) {
  while (offset < text.size() && (text[offset] == '&' || text[offset] == '!')) {
    offset = text.find_first_of(" \t\r\n", offset);
    if (offset == std::string_view::npos) return text.size();
    offset = text.find_first_not_of(" \t\r\n", offset);
    if (offset == std::string_view::npos) return text.size();
  }
  return offset;
}

/// Whether the quoted scalar whose node starts at `offset` has its closing quote. yaml-cpp
/// ends a quoted scalar that is never closed at the end of the file, without an error, so a
/// missing quote would silently swallow the rest of the file into one string. Only the last
/// quoted scalar of a document can be such a one. Block scalars (`|`, `>`) need no quote.
bool quote_is_closed(std::string_view text, std::size_t offset) {
  std::size_t i = skip_node_properties(text, offset);
  if (i >= text.size() || (text[i] != '"' && text[i] != '\'')) return true;
  char quote = text[i];
  for (++i; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;  // an escaped character, perhaps a quote
      continue;
    }
    if (text[i] != quote) continue;
    if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
      ++i;  // '' is a quote inside single quotes
      continue;
    }
    return true;
  }
  return false;
}

/// Where the first byte that is not UTF-8 stands, as a location.
std::optional<SourceLocation> invalid_utf8_location(std::string_view text,
                                                    const std::string& file) {
  std::optional<std::size_t> offset = first_invalid_utf8(text);
  if (!offset) return std::nullopt;
  std::string_view before = text.substr(0, *offset);
  int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  std::size_t line_start = before.rfind('\n');
  int column =
      static_cast<int>(*offset - (line_start == std::string_view::npos ? 0 : line_start + 1)) + 1;
  return SourceLocation{file, line, column};
}

}  // namespace

Result<model::Node> parse_yaml(std::string_view text, const std::string& file_name,
                               const YamlLimits& limits) {
  if (auto where = invalid_utf8_location(text, file_name))
    return make_error(*where, "", "the file is not valid UTF-8", "save it as UTF-8");
  std::istringstream stream{std::string(text)};
  try {
    YAML::Parser parser(stream);
    TreeBuilder builder(file_name, limits);
    parser.HandleNextDocument(builder);
    if (const auto& quoted = builder.last_quoted_scalar();
        quoted && !quote_is_closed(without_bom(text), quoted->offset)) {
      return make_error(
          quoted->location, "", "a quoted string is not closed",
          "add the closing quote; as written, the string runs to the end of the file");
    }
    std::optional<Node> root = builder.take_root();
    if (!root || root->kind != NodeKind::kMap) return top_level_error(text, file_name, root);
    // One more document is read to refuse it; never loop here: yaml-cpp returns an endless
    // run of empty documents for some input (that is why YAML::LoadAll hangs on ",").
    TreeBuilder extra(file_name, limits);
    if (parser.HandleNextDocument(extra)) {
      return make_error(extra.document_start(), "", "the file holds several YAML documents",
                        "run reads one document per file; remove the '---' separators");
    }
    return std::move(*root);
  } catch (const LoadError& error) {
    return error.diagnostic;
  } catch (const YAML::Exception& error) {
    return parser_error(error, file_name);
  }
}

}  // namespace run::config
