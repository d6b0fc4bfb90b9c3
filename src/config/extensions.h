#pragma once

#include "model/document.h"

namespace run::config {

/// True for a key such as `x-defaults`.
bool is_extension_key(std::string_view key);

/// Removes the extension keys (`x-...`) where compose users put them: at the top level and
/// directly inside a service, network, volume or environment. They hold anchors for merge
/// keys and notes for other tools; nothing below reads them. Elsewhere (a label or an
/// environment variable named `x-team`) such a key is ordinary data and stays.
void strip_extensions(model::Node& root);

}  // namespace run::config
