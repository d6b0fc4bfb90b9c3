#pragma once

#include <string>

#include "model/document.h"
#include "render/document_yaml.h"

namespace run::render {

/// The document as JSON (two-space indent): integers in decimal, `.inf` and `.nan` as
/// strings, secrets as "(sensitive)", extension keys left out. With ShowOrigin::kYes every
/// scalar becomes `{"value": ..., "origin": "file:line"}`.
std::string render_json(const model::Node& document, ShowOrigin show_origin = ShowOrigin::kNo);

/// The value on one line (`{"cpu": 2.0, "memory": "1G"}`), for JSON that embeds it.
std::string render_json_compact(const model::Node& value);

/// One scalar as a JSON value.
std::string json_scalar(const model::Node& scalar);

}  // namespace run::render
