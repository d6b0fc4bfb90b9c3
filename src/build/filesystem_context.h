#pragma once

#include <string>
#include <vector>

#include "build/context_tree.h"

namespace run::build {

/// A build context read from a directory of the filesystem.
///
/// Symbolic links are entries of their own, never followed (a link to /etc stays a link, as in
/// git and in the tar). Sockets, FIFOs and devices are skipped. A file is executable when its
/// owner's x bit is set, as git decides. Anything named `.git` is skipped, at any depth: git
/// never stores it, and the content hash must come out the same from the commit.
class FilesystemContext final : public ContextTree {
 public:
  explicit FilesystemContext(std::string root);

  Result<std::vector<ContextEntry>> walk() const override;
  Status read(const std::string& path, const ContentSink& sink) const override;

 private:
  /// Appends the entries below `directory` (relative to the root, "" for the root itself).
  Status walk_directory(const std::string& directory, std::vector<ContextEntry>& entries) const;
  std::string full_path(const std::string& path) const;

  std::string root_;
};

}  // namespace run::build
