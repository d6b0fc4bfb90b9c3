#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/workspace.h"
#include "core/result.h"
#include "model/desired_state.h"

namespace run::app {

/// A context is sent to the engine whole: past this, it almost always holds what the image
/// does not need (a .git, node_modules, build output), and the error says to ignore it.
inline constexpr std::uint64_t kMaxBuildContextBytes = 512ull * 1024 * 1024;

/// Reads the build context of each service of `desired` that has `build:` (from the working
/// tree, or as committed at `revision`), records its manifest and content hash, tags its image
/// `repository:HASH` (the hash's first 12 hex digits) and takes its config hash again. Reads
/// files and builds nothing, so planning stays read-only. Errors name the file and line of
/// the service's `context:`: a missing or escaping context, a missing Dockerfile, an
/// unreadable file, a context over kMaxBuildContextBytes.
Status resolve_builds(const Workspace& workspace, const std::string& project_directory,
                      model::DesiredState& desired, const std::optional<std::string>& revision);

/// The tag of a build with this content hash.
std::string build_tag(const std::string& content_hash);

}  // namespace run::app
