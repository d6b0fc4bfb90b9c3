#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace run::build {

/// What a context entry is. Directories are not entries: git stores none, and the content
/// hash must be the same whether the context is read from a directory or from a commit.
enum class EntryType { kFile, kSymlink };

/// One file or symbolic link of a build context, described only by what git also stores.
struct ContextEntry {
  std::string path;  ///< relative to the context's root, '/'-separated, no leading "./"
  EntryType type = EntryType::kFile;
  bool executable = false;  ///< a regular file with the owner's x bit (git's 100755); never a link
  std::uint64_t size = 0;   ///< bytes of content; for a link, the length of its target
  std::string link_target;  ///< the link's target text, as written; empty for a file

  bool operator==(const ContextEntry&) const = default;
};

/// Receives a file's content one piece at a time; returns false to stop reading early
/// (the tar stream was interrupted), which is not an error of the read.
using ContentSink = std::function<bool(std::string_view piece)>;

/// Where the files of a build context come from: a directory (FilesystemContext), a commit's
/// tree (GitContextTree), or memory (tests). The seam that lets the manifest and the tar be
/// built the same way from all of them.
class ContextTree {
 public:
  virtual ~ContextTree() = default;

  /// Every regular file and symbolic link below the root, recursively (directories are walked,
  /// not listed; other kinds of file are skipped), sorted by path bytewise. Errors name the
  /// path: an unreadable directory, a root that does not exist.
  virtual Result<std::vector<ContextEntry>> walk() const = 0;

  /// Streams the content of the regular file at `path` (as walk() gave it) to `sink` in pieces,
  /// never the whole of a large file at once. Errors name the path: unreadable, vanished.
  virtual Status read(const std::string& path, const ContentSink& sink) const = 0;
};

}  // namespace run::build
