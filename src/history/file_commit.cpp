#include "history/file_commit.h"

#include <filesystem>

namespace run::history {

namespace {

namespace fs = std::filesystem;

Diagnostic refusal(const std::string& message, const std::string& hint = {}) {
  return make_error(SourceLocation{}, "", message, hint);
}

/// `file` relative to the work tree, '/'-separated; empty when it is outside it. Both are
/// made canonical first, so a symlinked /tmp or a `-C ..` cannot make them disagree.
std::string path_in_work_tree(const std::string& work_tree, const fs::path& file) {
  std::error_code error;
  fs::path root = fs::weakly_canonical(work_tree, error);
  fs::path target = fs::weakly_canonical(file, error);
  fs::path relative = target.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") return "";
  return relative.generic_string();
}

/// The branch HEAD is on ("main"), which may have no commit yet; an error when HEAD is detached.
Result<std::string> current_branch(git_repository* repository) {
  if (git_repository_head_detached(repository) == 1)
    return refusal("HEAD is detached: --commit commits on the current branch, and there is none",
                   "switch to a branch first (git switch BRANCH), or run without --commit");
  git_reference* head = nullptr;
  if (git_reference_lookup(&head, repository, "HEAD") != 0)
    return refusal(git_error_text("cannot read HEAD"));
  ReferencePtr owned(head);
  const char* target = git_reference_symbolic_target(head);
  std::string name = target != nullptr ? target : "HEAD";
  constexpr std::string_view kHeads = "refs/heads/";
  return name.starts_with(kHeads) ? name.substr(kHeads.size()) : name;
}

/// Why a file with this git status cannot be committed alone, or empty when it can.
std::string uncommitted_change(unsigned int status, OwnChanges own_changes) {
  constexpr unsigned int kStaged = GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED |
                                   GIT_STATUS_INDEX_DELETED | GIT_STATUS_INDEX_RENAMED |
                                   GIT_STATUS_INDEX_TYPECHANGE;
  if ((status & GIT_STATUS_IGNORED) != 0) return "is ignored by git (.gitignore)";
  if (own_changes == OwnChanges::kCommit) return "";
  if ((status & GIT_STATUS_WT_NEW) != 0) return "is not in git yet (untracked)";
  if ((status & kStaged) != 0) return "has staged changes";
  if (status != GIT_STATUS_CURRENT) return "has changes that are not committed";
  return "";
}

Result<SignaturePtr> git_identity(git_repository* repository) {
  git_signature* signature = nullptr;
  if (git_signature_default(&signature, repository) != 0)
    return refusal("git does not know who is committing: user.name and user.email are not set",
                   "git config user.name 'Your Name' && git config user.email you@example.com");
  return SignaturePtr(signature);
}

/// The tree of HEAD's commit, or an empty tree on a branch with no commit yet.
Result<TreePtr> base_tree(git_repository* repository, const std::optional<git_oid>& head) {
  git_tree* tree = nullptr;
  if (head) {
    git_commit* commit = nullptr;
    if (git_commit_lookup(&commit, repository, &*head) != 0)
      return refusal(git_error_text("cannot read HEAD's commit"));
    CommitPtr owned(commit);
    if (git_commit_tree(&tree, commit) != 0)
      return refusal(git_error_text("cannot read HEAD's tree"));
    return TreePtr(tree);
  }
  git_treebuilder* builder = nullptr;
  git_oid empty;
  if (git_treebuilder_new(&builder, repository, nullptr) != 0)
    return refusal(git_error_text("cannot make a tree"));
  TreeBuilderPtr owned(builder);
  if (git_treebuilder_write(&empty, builder) != 0 ||
      git_tree_lookup(&tree, repository, &empty) != 0)
    return refusal(git_error_text("cannot make a tree"));
  return TreePtr(tree);
}

/// The file mode the file has in `tree` (an executable bit is kept), else a plain file's.
git_filemode_t mode_in(git_tree* tree, const std::string& path) {
  git_tree_entry* entry = nullptr;
  if (git_tree_entry_bypath(&entry, tree, path.c_str()) != 0) return GIT_FILEMODE_BLOB;
  TreeEntryPtr owned(entry);
  git_filemode_t mode = git_tree_entry_filemode(entry);
  return mode == GIT_FILEMODE_BLOB_EXECUTABLE ? mode : GIT_FILEMODE_BLOB;
}

/// HEAD's tree with `path` set to `blob`.
Result<TreePtr> tree_with(git_repository* repository, git_tree* base, const std::string& path,
                          const git_oid& blob) {
  git_tree_update update{};
  update.action = GIT_TREE_UPDATE_UPSERT;
  update.id = blob;
  update.filemode = mode_in(base, path);
  update.path = path.c_str();
  git_oid id;
  git_tree* tree = nullptr;
  if (git_tree_create_updated(&id, repository, base, 1, &update) != 0 ||
      git_tree_lookup(&tree, repository, &id) != 0)
    return refusal(git_error_text("cannot make the commit's tree"));
  return TreePtr(tree);
}

/// Points the file's index entry at what was just committed; every other entry stays.
std::string update_index_entry(git_repository* repository, const std::string& path) {
  git_index* index = nullptr;
  if (git_repository_index(&index, repository) != 0) return git_error_text("cannot open the index");
  IndexPtr owned(index);
  if (git_index_read(index, 0) != 0 || git_index_add_bypath(index, path.c_str()) != 0 ||
      git_index_write(index) != 0)
    return git_error_text("cannot update the index");
  return "";
}

}  // namespace

Result<FileCommit> FileCommit::prepare(const std::string& directory,
                                       const std::string& relative_file, OwnChanges own_changes) {
  Result<std::optional<Repository>> found = discover_repository(directory);
  if (!found) return found.errors();
  if (!*found || (*found)->work_tree.empty())
    return refusal("--commit needs a git repository, and " + directory + " is not in one",
                   "run without --commit, or keep the project in git (git init)");
  Repository repository = std::move(**found);
  std::string path = path_in_work_tree(repository.work_tree, fs::path(directory) / relative_file);
  if (path.empty())
    return refusal(relative_file + " is not inside the git work tree " + repository.work_tree);
  Result<std::string> branch = current_branch(repository.handle.get());
  if (!branch) return branch.errors();
  unsigned int status = 0;
  int code = git_status_file(&status, repository.handle.get(), path.c_str());
  if (code != 0 && code != GIT_ENOTFOUND)
    return refusal(git_error_text("cannot read the git status of " + path));
  if (std::string why = code == 0 ? uncommitted_change(status, own_changes) : ""; !why.empty())
    return refusal(
        path + " " + why + ": --commit would commit that too, with the promotion",
        "commit or stash it first (git stash push -- " + path + "), or run without --commit");
  std::optional<git_oid> head;
  git_oid id;
  if (git_reference_name_to_id(&id, repository.handle.get(), "HEAD") == 0) head = id;
  return FileCommit(std::move(repository), std::move(path), std::move(*branch), head);
}

Result<FileCommitDone> FileCommit::commit(const std::string& message) {
  git_repository* repository = repository_.handle.get();
  git_oid blob;
  if (git_blob_create_from_workdir(&blob, repository, path_.c_str()) != 0)
    return refusal(git_error_text("cannot store " + path_ + " in git"));
  Result<TreePtr> base = base_tree(repository, head_);
  if (!base) return base.errors();
  Result<TreePtr> tree = tree_with(repository, base->get(), path_, blob);
  if (!tree) return tree.errors();
  Result<SignaturePtr> identity = git_identity(repository);
  if (!identity) return identity.errors();
  git_commit* parent = nullptr;
  if (head_ && git_commit_lookup(&parent, repository, &*head_) != 0)
    return refusal(git_error_text("cannot read HEAD's commit"));
  CommitPtr owned_parent(parent);
  const git_commit* parents[] = {parent};
  std::string text = message.ends_with('\n') ? message : message + "\n";
  git_oid commit_id;
  // With "HEAD" libgit2 moves the branch only if it is still at `parent`: a commit made
  // since prepare() is not lost, the call fails instead.
  if (git_commit_create(&commit_id, repository, "HEAD", identity->get(), identity->get(), nullptr,
                        text.c_str(), tree->get(), head_ ? 1 : 0, parents) != 0)
    return refusal(git_error_text("cannot commit " + path_ + " on " + branch_),
                   "the overlay is written; commit it with git");
  return FileCommitDone{oid_text(commit_id), branch_, update_index_entry(repository, path_)};
}

}  // namespace run::history
