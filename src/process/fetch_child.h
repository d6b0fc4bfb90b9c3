#pragma once

#include <string>

#include "core/result.h"
#include "history/fetch_protocol.h"
#include "history/remote_fetch.h"
#include "process/child_process.h"

namespace run::process {

/// history::fetch_branch with a deadline: runs this very executable (/proc/self/exe, so the
/// child is the same build even after the file was replaced on disk) as `run __fetch DIR
/// REMOTE BRANCH`, which fetches with libgit2 and prints its reply, and kills it at
/// `limits.timeout` or when `*limits.stop` becomes true. Errors: those of fetch_branch, "fetch
/// of REMOTE timed out after 60 s", "fetch of REMOTE interrupted", a child that could not
/// start or died without replying.
Result<history::FetchedBranch> fetch_branch_in_child(const std::string& project_directory,
                                                     const std::string& remote,
                                                     const std::string& branch,
                                                     const history::FetchLimits& limits);

/// What a fetch child's ending means: its reply when it ended of itself, else the timeout,
/// the interruption, or the signal that killed it.
Result<history::FetchedBranch> fetch_result(const ChildOutcome& child, const std::string& remote,
                                            std::chrono::milliseconds timeout);

}  // namespace run::process
