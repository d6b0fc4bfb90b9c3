#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace run::config {

/// Sets the scalar at `path` (map keys from the top, e.g. {"services", "app", "image"}) of
/// one YAML file to `value`, as a surgical text edit: the text is changed only where the
/// value stands, so comments, blank lines, key order, indentation, line endings (LF or
/// CRLF), a byte order mark and a missing final newline are all kept.
///
/// - An existing scalar is replaced where it stands; a comment after it stays. Its quoting
///   is kept when the new value allows it: a double-quoted scalar stays double-quoted, a
///   single-quoted one single-quoted (unless the value holds a line break or a control
///   character), and a plain one plain unless the plain text would read back as another
///   kind (`1.10`, `yes`, `null`, `0755` where a string stood) or mean something else (`: `,
///   ` #`, a leading indicator such as `*` or `-`): then it is double-quoted. An empty value
///   (`key:` with nothing after it) gets the value after the colon.
/// - A missing key is added as the last entry of the deepest existing block mapping on the
///   path, at its siblings' indentation; missing parent mappings are created below it, each
///   level indented by the file's own step (the difference between two levels of the path,
///   else the first indented line, else 2 spaces). An empty flow mapping `{}` on the path is
///   turned into a block mapping. A new scalar is plain when it reads back as a string, else
///   double-quoted.
/// - A file with no content (empty, or only comments and blank lines) gets the whole path
///   appended; its comments stay.
///
/// Refused, with an error naming `file_for_messages`, the line and column, the path and a
/// hint to edit the file by hand: invalid YAML; a flow-style mapping or a list on the path;
/// an anchor (`&a`), an alias (`*a`), a merge key (`<<`) or a tag (`!!str`) on the path; a
/// key on the path whose value is null or a scalar; a target that is a mapping or a list, a
/// block scalar (`|`, `>`) or a plain scalar over several lines. The result is parsed again
/// before it is returned, and refused unless the path then holds exactly `value`.
Result<std::string> set_scalar(std::string_view yaml_text, const std::vector<std::string>& path,
                               const std::string& value, const std::string& file_for_messages);

}  // namespace run::config
