#pragma once

#include <string>
#include <string_view>

#include "config/variable_map.h"
#include "core/result.h"

namespace run::config {

/// Parses a `.env` file as docker compose v2 reads it (compose-go's `dotenv`): a UTF-8
/// byte-order mark skipped; `#` comment lines; `KEY=VALUE` or `KEY: VALUE`, with an optional
/// `export` and blanks before the name; names of letters and digits of any script and
/// `_ . - [ ]`; a value bare (trimmed, ` #` starts a comment), in single quotes (literal), or in
/// double quotes (shell escapes, see expand_dotenv_escapes); quoted values may span lines. A
/// name alone on its line takes its value from `environment`, if it is set there.
///
/// `${VAR}` and `$VAR` in bare and double-quoted values are interpolated as run-config.yaml is
/// (interpolate_text: `${VAR:-default}`, `$$`, and an unset `${VAR}` is an error), looking a
/// name up in `environment` first and then in the lines above, as compose does.
///
/// Every malformed line is an error at `file_name:LINE:COL` saying what was expected.
Result<VariableMap> parse_dotenv(std::string_view text, const std::string& file_name,
                                 const VariableMap& environment);

/// The same format with every `$` kept as written (`\$` is `$`) and nothing looked up: a
/// secrets file, whose passwords may hold a `$`.
Result<VariableMap> parse_dotenv_literal(std::string_view text, const std::string& file_name);

}  // namespace run::config
