#pragma once

#include <string_view>

#include "model/document.h"

namespace run::model {

/// The kind of a plain (unquoted) scalar, by the YAML 1.2 core schema: null (`~`, `null`,
/// empty), booleans, integers (`12`, `0o755`, `0x1f`), floats (`1.10`, `.inf`), else a string.
/// The YAML 1.1 booleans `yes`, `no`, `on` and `off` are read as booleans too: a reader of
/// YAML 1.1 (PyYAML, compose v1) would, so the schema catches them where a string is meant.
NodeKind resolve_plain_scalar(std::string_view text);

/// For a boolean scalar: whether it says true (`true`, `yes`, `on` in any YAML spelling).
bool is_true_literal(std::string_view text);

/// True for `yes`/`no`/`on`/`off` in any of their YAML 1.1 spellings.
bool is_yaml11_boolean(std::string_view text);

}  // namespace run::model
