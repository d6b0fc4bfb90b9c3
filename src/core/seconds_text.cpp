#include "core/seconds_text.h"

#include <cstdio>

namespace run {

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

}  // namespace run
