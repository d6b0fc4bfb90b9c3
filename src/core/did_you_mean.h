#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace run {

/// Edit distance (insertions, deletions, substitutions, adjacent swaps).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, when it is close enough to be a likely typo, or the one
/// candidate `word` abbreviates (at least 3 characters); else empty.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// "did you mean 'x'?" for the closest candidate, or empty when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// did_you_mean, or, when no candidate is close, the list: "declared: dev, staging".
std::string did_you_mean_or_declared(std::string_view word,
                                     const std::vector<std::string>& candidates);

}  // namespace run
