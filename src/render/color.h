#pragma once

#include <string>
#include <string_view>

namespace run::render {

/// Whether rendered text may carry ANSI colours (the CLI decides: a terminal, no NO_COLOR).
enum class Color { kNo, kYes };

enum class Hue { kGreen, kYellow, kRed, kCyan, kMagenta, kBold, kDim };

/// `text` wrapped in the hue's escape codes when colour is on; unchanged otherwise.
std::string paint(std::string_view text, Hue hue, Color color);

}  // namespace run::render
