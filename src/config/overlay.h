#pragma once

#include "model/document.h"

namespace run::config {

/// Merges `overlay` over `base` as JSON Merge Patch (RFC 7386) does: maps merge key by key,
/// scalars and lists are replaced whole, and an explicit null removes the key. Every value
/// keeps the location of the file that set it, so an error in a value an overlay set names
/// the overlay.
model::Node merge_overlay(model::Node base, const model::Node& overlay);

}  // namespace run::config
