#pragma once

#include <string>

#include "core/result.h"

namespace run::history {

/// A branch of a remote as a fetch left it.
struct FetchedBranch {
  std::string tracking_ref;  ///< "refs/remotes/origin/main"
  std::string commit_id;     ///< 40 hex digits: the commit the branch points at
};

/// Fetches `branch` from the configured remote `remote` (`git remote -v` lists them) of the
/// repository that holds `project_directory`, as `git fetch REMOTE BRANCH` would: only
/// refs/remotes/REMOTE/BRANCH and the objects it needs change. The working tree, the index,
/// HEAD and local branches are never touched. Errors: no repository, no such remote, the
/// remote unreachable or refusing, no such branch on it.
Result<FetchedBranch> fetch_branch(const std::string& project_directory, const std::string& remote,
                                   const std::string& branch);

}  // namespace run::history
