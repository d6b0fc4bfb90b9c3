#pragma once

#include <string>

namespace run {

/// A duration for people, to a tenth of a second: "6.1 s". The one format of progress lines,
/// reports, records and `run show`.
std::string seconds_text(double seconds);

}  // namespace run
