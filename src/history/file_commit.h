#pragma once

#include <string>

#include "core/result.h"
#include "history/git_repository.h"

namespace run::history {

/// Whether FileCommit::prepare accepts a file whose own changes are not committed yet.
enum class OwnChanges {
  kRefuse,  ///< they would go into the commit unseen: refused
  kCommit,  ///< they are what is to be committed (the caller checked the content)
};

/// What FileCommit::commit made.
struct FileCommitDone {
  std::string commit;  ///< the new commit's id, 40 hex digits
  std::string branch;  ///< the branch it went on ("main")
  /// Set when the commit was made but the file's index entry could not be updated (the
  /// index was locked): `git status` then shows the file as modified until it is added.
  std::string index_warning;
};

/// Commits one file of a git work tree on its own, on the current branch: what `run promote
/// --commit` does with the overlay it edited. The commit's tree is HEAD's with only that
/// file changed, so whatever else is staged or modified stays out of it and stays as it was;
/// afterwards the file's index entry holds what was committed, and no other entry changes.
class FileCommit {
 public:
  /// Checks, before anything is written, that `relative_file` (below `directory`, which
  /// exists; the file itself may not exist yet) can be committed alone: `directory` is in a
  /// git work tree, HEAD is on a branch (it may have no commit yet), the file is not ignored,
  /// and, with OwnChanges::kRefuse, it has no change that is not committed, staged or not: a
  /// commit of it would carry that change too. Each refusal says what to do.
  static Result<FileCommit> prepare(const std::string& directory, const std::string& relative_file,
                                    OwnChanges own_changes = OwnChanges::kRefuse);

  /// Commits the file as the work tree holds it now, through git's filters (line endings),
  /// with `message`; author and committer are the git identity (user.name, user.email).
  /// Refused when the branch moved since prepare (another commit came in between).
  Result<FileCommitDone> commit(const std::string& message);

  /// The file's path in the repository ("deploy/environments/production.yaml").
  const std::string& path_in_repository() const { return path_; }

 private:
  FileCommit(Repository repository, std::string path, std::string branch,
             std::optional<git_oid> head)
      : repository_(std::move(repository)),
        path_(std::move(path)),
        branch_(std::move(branch)),
        head_(head) {}

  Repository repository_;
  std::string path_;
  std::string branch_;
  std::optional<git_oid>
      head_;  ///< the branch's commit at prepare; none on a branch with no commit yet
};

}  // namespace run::history
