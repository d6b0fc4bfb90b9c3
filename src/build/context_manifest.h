#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "build/context_tree.h"
#include "core/result.h"

namespace run::build {

/// What a build is given besides the context's files: the `build:` section's settings.
struct BuildInputs {
  std::string dockerfile = "Dockerfile";  ///< a path inside the context
  std::map<std::string, std::string> args;
  std::string target;  ///< the stage to build; empty for the last one
};

/// One file or link the build is sent, with the digest its content is known by.
struct ManifestFile {
  std::string path;
  bool executable = false;  ///< always false for a link
  bool symlink = false;
  std::string sha256;       ///< of the content; for a link, of its target text
  std::uint64_t size = 0;   ///< bytes of content; for a link, the length of its target
  std::string link_target;  ///< for a link

  bool operator==(const ManifestFile&) const = default;
};

/// The build inputs of a service, read once: what is sent to the daemon and the content hash
/// the image is tagged with.
struct BuildManifest {
  std::vector<ManifestFile> files;  ///< the kept entries, sorted by path bytewise
  std::string dockerfile;           ///< cleaned: "docker/app.Dockerfile", never "./docker/..."
  std::map<std::string, std::string> args;
  std::string target;
  std::uint64_t total_bytes = 0;  ///< the sum of the kept files' sizes
  std::string content_hash;       ///< lower-case SHA-256 hex, see read_manifest

  bool operator==(const BuildManifest&) const = default;
};

/// The version tag that starts the hashed text; a change of the definition changes it.
inline constexpr std::string_view kContentHashVersion = "run-build-v1";

/// Reads the context: `.dockerignore` at its root, when there is one, leaves out what it
/// matches, except the Dockerfile and `.dockerignore` itself, which are always sent as the
/// docker CLI sends them. Each kept file is hashed as it is read, never whole in memory.
///
/// content_hash is the SHA-256 of a canonical text of length-prefixed fields ("<bytes>:<field>\n",
/// so that no two inputs give the same text): kContentHashVersion, "dockerfile" and its path,
/// "target" and the target, "args" and their count then each key and value by key, "files" and
/// their count then for each kept file in path order its type ("file" or "symlink"), its
/// executable flag ("1" or "0"), its path and its content's SHA-256. Only what git also stores
/// is in it, so a directory and the commit that holds the same files give the same hash.
///
/// Errors, without a location (the caller knows the `build:` section's): a Dockerfile that is
/// not in the context, or a path that leaves it; a malformed `.dockerignore`; kept files that
/// total more than `max_context_bytes`; the tree's errors (an unreadable file); a file whose
/// size changed while it was read.
Result<BuildManifest> read_manifest(const ContextTree& tree, const BuildInputs& inputs,
                                    std::uint64_t max_context_bytes);

/// The paths added, removed, or whose content, executable flag or kind changed from `before`
/// to `after`, sorted: the planner's "context changed (Dockerfile, src/app/server.sh)".
std::vector<std::string> changed_files(const BuildManifest& before, const BuildManifest& after);

/// The image tag for the manifest: the first 12 hex digits of its content hash.
std::string short_tag(const BuildManifest& manifest);

}  // namespace run::build
