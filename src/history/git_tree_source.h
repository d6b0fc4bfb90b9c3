#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/file_source.h"
#include "core/result.h"
#include "history/git_repository.h"

namespace run::history {

/// The commit a revision named, for messages and for output that records where a
/// configuration came from.
struct ResolvedRevision {
  std::string revision;   ///< as the user wrote it: "HEAD~1", "main", "3f2a1bc"
  std::string commit_id;  ///< 40 hex digits
  std::string short_id;   ///< the shortest unambiguous abbreviation (7 hex digits at least)
};

/// The configuration files of a project as they were in a commit: a FileSource over the git
/// tree, rooted at the project's directory inside it (`examples/minimal` for a project that is
/// not at the top of its repository). Read with libgit2 from the object database: the working
/// tree, the index and HEAD are never touched.
///
/// The FileSource contract holds as for the filesystem: errors name the path; a directory, a
/// symbolic link or a submodule is not a regular file; a blob over kMaxConfigFileBytes is
/// refused from its header, before it is inflated; `list` gives the regular files (executable
/// or not) directly inside a directory, sorted. Paths are '/'-separated and relative to the
/// root; `.` steps are ignored, and a path that leaves the root (`..`, an absolute path) is
/// not found.
class GitTreeSource final : public config::FileSource {
 public:
  GitTreeSource(Repository repository, TreePtr root, ResolvedRevision revision,
                std::string root_path);

  Result<std::string> read(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> list(const std::string& directory) const override;

  const ResolvedRevision& revision() const { return revision_; }
  /// Where the root is inside the commit's tree: "" for the top, else e.g. "examples/minimal".
  const std::string& root_path() const { return root_path_; }

 private:
  /// The entry at `path` below the root, or null when there is none.
  TreeEntryPtr entry_at(const std::string& path) const;
  Result<std::string> read_blob(const std::string& path, const git_tree_entry& entry) const;

  Repository repository_;  // declared before root_: the tree must be freed before its repository
  TreePtr root_;
  ResolvedRevision revision_;
  std::string root_path_;
};

/// `path` as libgit2 wants it: '/'-separated steps without "." or empty ones. nullopt for a
/// path that is absolute or climbs out with "..": nothing outside a tree's root is in it.
std::optional<std::string> tree_path(const std::string& path);

/// The configuration of the project in `project_directory` (an existing directory of a git
/// working tree, or one that existed in the revision) at `revision`: any name git accepts
/// (a branch, a tag, a commit id, `HEAD~2`). Errors: the directory is in no git repository, or in
/// a bare one; the revision does not exist or names no commit; the project's directory is not
/// in that commit's tree (the project was added later, or moved).
Result<std::unique_ptr<GitTreeSource>> open_revision_source(const std::string& project_directory,
                                                            const std::string& revision);

}  // namespace run::history
