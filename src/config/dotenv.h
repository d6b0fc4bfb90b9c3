#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace run::config {

using VariableMap = std::map<std::string, std::string, std::less<>>;

/// Parses a `.env` file as docker compose reads it: `KEY=VALUE` lines, an optional `export `
/// prefix, `#` comments, values in double quotes (with \n, \t, \" and \\ escapes), in single
/// quotes (literal), or bare (trimmed, ` #` starts a comment). A malformed line is an error
/// naming `file_name` and the line.
Result<VariableMap> parse_dotenv(std::string_view text, const std::string& file_name);

}  // namespace run::config
