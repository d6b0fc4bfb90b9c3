#include "render/text_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace run::render {

namespace {

/// Beyond this many cells the table of common subsequences is not built, and the lines
/// between the common head and tail are shown as replaced whole. An overlay edit changes a
/// few lines, so the middle is small; this only bounds a pathological input.
constexpr std::size_t kMaxTableCells = 4'000'000;

enum class Op { kKeep, kRemove, kAdd };

struct Edit {
  Op op;
  std::string_view line;  ///< with its line break, if it has one
};

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

using Lines = std::vector<std::string_view>;

/// The shortest edit script from a[a_begin, a_end) to b[b_begin, b_end), from the table of
/// longest common subsequences; removals come before additions where both fit.
void middle_edits(const Lines& a, std::size_t a_begin, std::size_t a_end, const Lines& b,
                  std::size_t b_begin, std::size_t b_end, std::vector<Edit>& out) {
  std::size_t n = a_end - a_begin;
  std::size_t m = b_end - b_begin;
  if (n * m > kMaxTableCells) {
    for (std::size_t i = a_begin; i < a_end; ++i) out.push_back({Op::kRemove, a[i]});
    for (std::size_t j = b_begin; j < b_end; ++j) out.push_back({Op::kAdd, b[j]});
    return;
  }
  // common[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
  std::vector<std::uint32_t> common((n + 1) * (m + 1), 0);
  auto at = [m](std::size_t i, std::size_t j) { return i * (m + 1) + j; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      common[at(i, j)] = a[a_begin + i] == b[b_begin + j]
                             ? common[at(i + 1, j + 1)] + 1
                             : std::max(common[at(i + 1, j)], common[at(i, j + 1)]);
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[a_begin + i] == b[b_begin + j]) {
      out.push_back({Op::kKeep, a[a_begin + i++]});
      ++j;
    } else if (i < n && (j == m || common[at(i + 1, j)] >= common[at(i, j + 1)])) {
      out.push_back({Op::kRemove, a[a_begin + i++]});
    } else {
      out.push_back({Op::kAdd, b[b_begin + j++]});
    }
  }
}

std::vector<Edit> line_edits(const Lines& a, const Lines& b) {
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail + head < a.size() && tail + head < b.size() &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({Op::kKeep, a[i]});
  middle_edits(a, head, a.size() - tail, b, head, b.size() - tail, edits);
  for (std::size_t i = a.size() - tail; i < a.size(); ++i) edits.push_back({Op::kKeep, a[i]});
  return edits;
}

/// "start,count", or "start" for one line; an empty range names the line before it.
std::string range_text(std::size_t lines_before, std::size_t count) {
  std::size_t start = count == 0 ? lines_before : lines_before + 1;
  return count == 1 ? std::to_string(start) : std::to_string(start) + "," + std::to_string(count);
}

std::string line_text(char symbol, std::string_view line, Color color) {
  bool has_break = line.ends_with('\n');
  if (has_break) line.remove_suffix(1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  std::string text = symbol + std::string(line);
  if (symbol == '-') text = paint(text, Hue::kRed, color);
  if (symbol == '+') text = paint(text, Hue::kGreen, color);
  return text + (has_break ? "\n" : "\n\\ No newline at end of file\n");
}

char symbol_of(Op op) { return op == Op::kKeep ? ' ' : op == Op::kRemove ? '-' : '+'; }

/// One hunk: edits [begin, end), with the old and new lines that come before it.
std::string hunk_text(const std::vector<Edit>& edits, std::size_t begin, std::size_t end,
                      std::size_t old_before, std::size_t new_before, Color color) {
  std::size_t old_count = 0;
  std::size_t new_count = 0;
  std::string body;
  for (std::size_t k = begin; k < end; ++k) {
    if (edits[k].op != Op::kAdd) ++old_count;
    if (edits[k].op != Op::kRemove) ++new_count;
    body += line_text(symbol_of(edits[k].op), edits[k].line, color);
  }
  std::string header =
      "@@ -" + range_text(old_before, old_count) + " +" + range_text(new_before, new_count) + " @@";
  return paint(header, Hue::kCyan, color) + "\n" + body;
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after,
                         const std::string& before_name, const std::string& after_name,
                         Color color) {
  std::vector<Edit> edits = line_edits(split_lines(before), split_lines(after));
  std::vector<std::size_t> changes;
  for (std::size_t k = 0; k < edits.size(); ++k)
    if (edits[k].op != Op::kKeep) changes.push_back(k);
  if (changes.empty()) return "";
  std::string out = paint("--- " + before_name, Hue::kBold, color) + "\n" +
                    paint("+++ " + after_name, Hue::kBold, color) + "\n";
  std::size_t old_line = 0;  // old and new lines before edits[next]
  std::size_t new_line = 0;
  std::size_t next = 0;
  for (std::size_t c = 0; c < changes.size();) {
    std::size_t last = c;
    while (last + 1 < changes.size() &&
           changes[last + 1] - changes[last] - 1 <= 2 * kDiffContextLines)
      ++last;
    std::size_t begin = changes[c] > kDiffContextLines ? changes[c] - kDiffContextLines : 0;
    std::size_t end = std::min(edits.size(), changes[last] + kDiffContextLines + 1);
    for (; next < begin; ++next) {
      if (edits[next].op != Op::kAdd) ++old_line;
      if (edits[next].op != Op::kRemove) ++new_line;
    }
    out += hunk_text(edits, begin, end, old_line, new_line, color);
    c = last + 1;
  }
  return out;
}

}  // namespace run::render
