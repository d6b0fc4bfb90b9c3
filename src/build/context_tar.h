#pragma once

#include <functional>
#include <string_view>

#include "build/context_manifest.h"
#include "build/context_tree.h"
#include "core/result.h"

namespace run::build {

/// Receives the tar stream a piece at a time; returns false to abort (the connection broke, or
/// a stop was asked).
using TarSink = std::function<bool(std::string_view piece)>;

/// Writes the manifest's files, read from `tree`, as the tar stream the daemon's build takes:
/// ustar, with a PAX extended header for a path or link target over 100 bytes or a file of
/// 8 GiB or more. Deterministic, so the same manifest gives the same bytes: entries in manifest
/// order; each file's parent directories first, as directory entries of mode 0755, so the
/// daemon creates them with sane modes; modes 0644 or 0755 for files, 0777 for links; mtime,
/// uid and gid 0, no user or group names. Contents are streamed from the tree, never whole in
/// memory; the archive ends with two zero blocks.
///
/// Errors: "interrupted" when `write` returns false; "PATH changed while the context was sent"
/// when a file's size or SHA-256 is no longer the manifest's (the image would not be what its
/// tag says); the tree's read errors.
Status write_context_tar(const ContextTree& tree, const BuildManifest& manifest,
                         const TarSink& write);

}  // namespace run::build
