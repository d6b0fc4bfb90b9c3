#pragma once

#include <string>
#include <string_view>

#include "render/color.h"

namespace run::render {

/// The lines around each change that a unified diff shows, as git and diff -u do.
inline constexpr std::size_t kDiffContextLines = 3;

/// A unified diff of two versions of a text file, as `git diff` prints it: `--- a/NAME`,
/// `+++ b/NAME`, then hunks `@@ -start,count +start,count @@` with kDiffContextLines lines
/// of context, hunks closer than twice that merged. A count of 1 is left out. A last line
/// without a line break is followed by `\ No newline at end of file`; a "\r" before a line
/// break is not shown. Empty when the texts are equal. `before_name` of "/dev/null" shows a
/// new file. With Color::kYes removed lines are red, added ones green, hunk headers cyan.
std::string unified_diff(std::string_view before, std::string_view after,
                         const std::string& before_name, const std::string& after_name,
                         Color color = Color::kNo);

}  // namespace run::render
