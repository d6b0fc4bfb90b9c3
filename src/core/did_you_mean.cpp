#include "core/did_you_mean.h"

#include <algorithm>

namespace run {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance over three rolling rows.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Words of 64 characters or more are never typos of a key; skip the quadratic work.
  if (word.size() >= 64) return {};
  // An abbreviation ("prod" for "production") is too far by edit distance but plainly meant.
  std::string prefixed;
  for (const auto& candidate : candidates) {
    if (word.size() < 3 || !candidate.starts_with(word)) continue;
    if (!prefixed.empty()) return {};  // ambiguous
    prefixed = candidate;
  }
  if (!prefixed.empty()) return prefixed;
  std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string match = closest_match(word, candidates);
  if (match.empty()) return {};
  return "did you mean '" + match + "'?";
}

std::string did_you_mean_or_declared(std::string_view word,
                                     const std::vector<std::string>& candidates) {
  std::string hint = did_you_mean(word, candidates);
  if (!hint.empty()) return hint;
  std::string declared;
  for (const std::string& candidate : candidates)
    declared += (declared.empty() ? "" : ", ") + candidate;
  return "declared: " + declared;
}

}  // namespace run
