#pragma once

#include <string>
#include <string_view>

namespace run::config {

/// What `\$` in a double-quoted value becomes.
enum class EscapedDollar {
  kDoubled,  ///< `$$`, which the interpolation that follows reads as a literal `$` (compose)
  kSingle,   ///< `$`: nothing is interpolated afterwards (secrets files)
};

/// The shell escapes compose reads in a double-quoted value, after the closing quote is found:
/// `\a \b \f \n \r \t \v \\ \"`, `\$`, and `\0` with three octal digits (`\0123` is "S", a
/// character up to U+00FF, in UTF-8). Any other backslash, `\x41` or `\u00e9` included, stays as
/// written, as in compose.
std::string expand_dotenv_escapes(std::string_view text, EscapedDollar dollar);

}  // namespace run::config
