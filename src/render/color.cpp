#include "render/color.h"

namespace run::render {

std::string paint(std::string_view text, Hue hue, Color color) {
  if (color == Color::kNo) return std::string(text);
  const char* code = "";
  switch (hue) {
    case Hue::kGreen:
      code = "\033[32m";
      break;
    case Hue::kYellow:
      code = "\033[33m";
      break;
    case Hue::kRed:
      code = "\033[31m";
      break;
    case Hue::kCyan:
      code = "\033[36m";
      break;
    case Hue::kMagenta:
      code = "\033[35m";
      break;
    case Hue::kBold:
      code = "\033[1m";
      break;
    case Hue::kDim:
      code = "\033[2m";
      break;
  }
  return std::string(code) + std::string(text) + "\033[0m";
}

}  // namespace run::render
