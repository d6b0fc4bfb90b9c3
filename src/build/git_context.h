#pragma once

#include <memory>
#include <string>
#include <vector>

#include "build/context_tree.h"
#include "core/result.h"
#include "history/git_repository.h"

namespace run::build {

/// A build context read from a commit's tree with libgit2, from the object database only: the
/// working tree, the index and HEAD are never touched. A rollback rebuilds from the recorded
/// commit through it, and the content hash comes out as it did from the directory.
///
/// Blob modes map as git defines them: 100755 is executable, 100644 (and the old 100664) is
/// not, 120000 is a symbolic link whose target is the blob's content. Submodules (gitlinks)
/// are skipped: their files are not in this repository's objects.
class GitContextTree final : public ContextTree {
 public:
  /// `root` is the tree of the context's directory; `description` names where it comes from in
  /// messages, e.g. "app/ in commit 3f2a1bc".
  GitContextTree(history::Repository repository, history::TreePtr root, std::string description);

  Result<std::vector<ContextEntry>> walk() const override;
  /// A blob is streamed from the object database when its backend can (loose objects); a
  /// packed one is inflated whole by libgit2, then handed to `sink` in pieces.
  Status read(const std::string& path, const ContentSink& sink) const override;

  const std::string& description() const { return description_; }

 private:
  Status walk_tree(const git_tree& tree, const std::string& directory,
                   std::vector<ContextEntry>& entries) const;
  Result<ContextEntry> blob_entry(const git_tree_entry& item, const std::string& path) const;
  Diagnostic git_error(const std::string& path) const;

  history::Repository repository_;  // before root_: the tree is freed before its repository
  history::TreePtr root_;
  std::string description_;
};

/// The context at `context_path` (relative to the top of the repository, "" for the top) in
/// `revision` (a commit id, or any name git accepts) of the repository that holds `directory`
/// (searching upwards, as git does). Errors: no repository there, a revision that names no
/// commit, a context path that is not a directory in that commit.
Result<std::unique_ptr<GitContextTree>> open_git_context(const std::string& directory,
                                                         const std::string& revision,
                                                         const std::string& context_path);

}  // namespace run::build
