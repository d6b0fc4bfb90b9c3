#include "process/fetch_child.h"

#include <cstring>

namespace run::process {

namespace {

/// Not readlink'd: /proc/self/exe is the running image itself, even when a package upgrade
/// replaced (or removed) the file it was started from.
constexpr const char* kSelf = "/proc/self/exe";

}  // namespace

Result<history::FetchedBranch> fetch_result(const ChildOutcome& child, const std::string& remote,
                                            std::chrono::milliseconds timeout) {
  switch (child.end) {
    case ChildEnd::kTimedOut:
      return history::fetch_timed_out(remote, timeout);
    case ChildEnd::kStopped:
      return history::fetch_interrupted(remote);
    case ChildEnd::kSignalled:
      return make_error(SourceLocation{}, "",
                        "fetch of " + remote + " died of signal " + std::to_string(child.signal) +
                            " (" + strsignal(child.signal) + ")");
    case ChildEnd::kExited:
      break;
  }
  return history::parse_fetch_reply(child.output, remote);
}

Result<history::FetchedBranch> fetch_branch_in_child(const std::string& project_directory,
                                                     const std::string& remote,
                                                     const std::string& branch,
                                                     const history::FetchLimits& limits) {
  std::vector<std::string> argv{kSelf};
  for (std::string& argument : history::fetch_command_arguments(project_directory, remote, branch))
    argv.push_back(std::move(argument));
  Result<ChildOutcome> child = run_child(argv, ChildLimits{limits.timeout, limits.stop});
  if (!child) return child.errors();
  return fetch_result(*child, remote, limits.timeout);
}

}  // namespace run::process
