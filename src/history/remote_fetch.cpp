#include "history/remote_fetch.h"

#include "history/git_repository.h"

namespace run::history {

namespace {

using RemotePtr = GitPtr<git_remote, git_remote_free>;

Result<RemotePtr> lookup_remote(git_repository* repository, const std::string& remote,
                                const std::string& where) {
  git_remote* handle = nullptr;
  if (git_remote_lookup(&handle, repository, remote.c_str()) != 0)
    return make_error(
        SourceLocation{}, "", "the repository at " + where + " has no remote '" + remote + "'",
        "'git remote -v' lists its remotes; 'git remote add " + remote + " URL' adds one");
  return RemotePtr(handle);
}

/// Whether the remote advertised refs/heads/BRANCH in the fetch just made (libgit2 keeps
/// the list after disconnecting). Without this, a branch deleted on the remote would leave
/// the old tracking ref to be read as if it were current.
bool advertised(git_remote* remote, const std::string& branch) {
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if (git_remote_ls(&heads, &count, remote) != 0) return false;
  std::string name = "refs/heads/" + branch;
  for (size_t i = 0; i < count; ++i)
    if (name == heads[i]->name) return true;
  return false;
}

}  // namespace

Result<FetchedBranch> fetch_branch(const std::string& project_directory, const std::string& remote,
                                   const std::string& branch) {
  Result<std::optional<Repository>> found = discover_repository(project_directory);
  if (!found) return found.errors();
  if (!*found)
    return make_error(SourceLocation{}, "",
                      "--remote needs a git repository, and " + project_directory + " is in none",
                      "git init, then git remote add NAME URL");
  Repository& repository = **found;
  std::string where =
      repository.work_tree.empty() ? repository.git_directory : repository.work_tree;
  Result<RemotePtr> handle = lookup_remote(repository.handle.get(), remote, where);
  if (!handle) return handle.errors();
  FetchedBranch fetched{"refs/remotes/" + remote + "/" + branch, ""};
  // Only this branch, forced like git's default refspec: a force-pushed branch is followed.
  std::string refspec = "+refs/heads/" + branch + ":" + fetched.tracking_ref;
  char* refspecs[] = {refspec.data()};
  git_strarray specs{refspecs, 1};
  git_fetch_options options = GIT_FETCH_OPTIONS_INIT;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  if (git_remote_fetch(handle->get(), &specs, &options, "run reconcile: fetch") != 0)
    return make_error(
        SourceLocation{}, "",
        git_error_text("cannot fetch " + branch + " from remote '" + remote + "'"),
        "check the remote's URL ('git remote get-url " + remote + "') and that it is reachable");
  git_oid commit;
  if (!advertised(handle->get(), branch) ||
      git_reference_name_to_id(&commit, repository.handle.get(), fetched.tracking_ref.c_str()) != 0)
    return make_error(SourceLocation{}, "",
                      "remote '" + remote + "' has no branch '" + branch + "'",
                      "'git ls-remote --heads " + remote + "' lists its branches");
  fetched.commit_id = oid_text(commit);
  return fetched;
}

}  // namespace run::history
