#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "core/result.h"
#include "history/remote_fetch.h"

namespace run::history {

/// How long a fetch may take, and what may cut it short. libgit2 1.5's fetch has no timeout
/// of its own (a remote that accepts the connection and never answers blocks it for ever),
/// so the reconcile loop fetches in a child process it can kill (process/fetch_child.h).
struct FetchLimits {
  std::chrono::milliseconds timeout{60000};
  /// When it becomes true (SIGTERM to the loop), the fetch is abandoned; none: never.
  const std::atomic<bool>* stop = nullptr;
};

/// The internal subcommand that fetches in the child: `run __fetch DIR REMOTE BRANCH`. Not a
/// command for people: not in --help, its output is the reply below.
inline constexpr const char* kFetchCommand = "__fetch";

/// The child's arguments after the executable: {"__fetch", DIR, REMOTE, BRANCH}.
std::vector<std::string> fetch_command_arguments(const std::string& project_directory,
                                                 const std::string& remote,
                                                 const std::string& branch);

/// What the child writes on stdout: "ok TRACKING_REF COMMIT\n" after a fetch, else one
/// "error MESSAGE\n" line per error, each followed by its "hint HINT\n" when it has one.
/// Newlines and backslashes in a field are escaped (\n, \\), so a field stays on its line.
std::string fetch_reply_text(const Result<FetchedBranch>& fetched);

/// The result a reply says, errors included. A reply that says neither (empty, cut short,
/// garbled) is an error of its own that names `remote`.
Result<FetchedBranch> parse_fetch_reply(const std::string& reply, const std::string& remote);

/// "fetch of REMOTE timed out after 60 s", with a hint to check the remote or raise
/// --fetch-timeout.
Diagnostic fetch_timed_out(const std::string& remote, std::chrono::milliseconds timeout);

/// "fetch of REMOTE interrupted: the loop is stopping".
Diagnostic fetch_interrupted(const std::string& remote);

}  // namespace run::history
