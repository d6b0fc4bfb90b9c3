#include "history/git_tree_source.h"

#include <algorithm>
#include <filesystem>
#include <optional>

namespace run::history {

namespace {

namespace fs = std::filesystem;

using OdbPtr = GitPtr<git_odb, git_odb_free>;

Diagnostic file_error(const std::string& path, std::string message, std::string hint = {}) {
  return make_error(SourceLocation{path, 0, 0}, "", std::move(message), std::move(hint));
}

std::string described(const ResolvedRevision& revision) {
  return "revision " + revision.revision + " (" + revision.short_id + ")";
}

bool is_regular_file(git_filemode_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/// Why an entry that is not a regular file cannot be read, in the words the filesystem
/// source uses where they apply.
std::string not_a_file_reason(const git_tree_entry& entry) {
  switch (git_tree_entry_filemode(&entry)) {
    case GIT_FILEMODE_TREE:
      return "is a directory, not a file";
    case GIT_FILEMODE_LINK:
      return "is a symbolic link in git; a revision is read only through regular files";
    case GIT_FILEMODE_COMMIT:
      return "is a submodule, not a file";
    default:
      return "is not a regular file";
  }
}

/// The nearest directory at or above `directory` that exists: a project may be read from a
/// revision after its directory was removed from the working tree.
fs::path existing_ancestor(const fs::path& directory) {
  std::error_code error;
  fs::path current = directory;
  while (!fs::is_directory(current, error) && current.has_parent_path() &&
         current != current.parent_path())
    current = current.parent_path();
  return current;
}

Result<Repository> repository_of(const std::string& project_directory) {
  Result<std::optional<Repository>> found =
      discover_repository(existing_ancestor(project_directory).string());
  if (!found) return std::move(found).take_errors();
  if (!*found)
    return make_error(
        SourceLocation{}, "",
        "the project in " + project_directory +
            " is not in a git repository, so it has no revisions",
        "commit it to git (git init && git add . && git commit), or leave out the revision");
  if ((*found)->work_tree.empty())
    return make_error(SourceLocation{}, "",
                      "the project in " + project_directory +
                          " is inside a bare git repository, which has no working tree");
  return std::move(**found);
}

/// The project's directory relative to the top of the working tree ("" at the top).
Result<std::string> path_in_repository(const std::string& project_directory,
                                       const std::string& work_tree) {
  std::error_code error;
  fs::path project = fs::weakly_canonical(project_directory, error);
  fs::path top = fs::weakly_canonical(work_tree, error);
  std::string relative = project.lexically_relative(top).generic_string();
  if (relative.empty() || relative.starts_with(".."))
    return make_error(SourceLocation{}, "",
                      "the project in " + project_directory +
                          " is outside the working tree of its git repository (" + work_tree + ")");
  return relative == "." ? std::string() : relative;
}

ResolvedRevision describe_commit(const git_commit& commit, const std::string& revision) {
  ResolvedRevision resolved{revision, oid_text(*git_commit_id(&commit)), {}};
  git_buf buffer = GIT_BUF_INIT;
  if (git_object_short_id(&buffer, reinterpret_cast<const git_object*>(&commit)) == 0)
    resolved.short_id = buffer.ptr;
  git_buf_dispose(&buffer);
  if (resolved.short_id.empty()) resolved.short_id = resolved.commit_id.substr(0, 7);
  return resolved;
}

/// The tree of `root_path` inside `commit_tree`, or an error saying the project is not there.
Result<TreePtr> subtree(git_repository* repository, TreePtr commit_tree,
                        const std::string& root_path, const ResolvedRevision& revision) {
  if (root_path.empty()) return commit_tree;
  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, commit_tree.get(), root_path.c_str()) != 0)
    return make_error(SourceLocation{}, "",
                      "the project's directory " + root_path + " is not in " + described(revision),
                      "it was added or moved after that commit: git log --oneline -- " + root_path +
                          " shows when");
  TreeEntryPtr entry(raw_entry);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE)
    return make_error(SourceLocation{}, "",
                      root_path + " is not a directory in " + described(revision));
  git_tree* tree = nullptr;
  if (git_tree_lookup(&tree, repository, git_tree_entry_id(entry.get())) != 0)
    return make_error(SourceLocation{}, "",
                      git_error_text("cannot read " + root_path + " in " + described(revision)));
  return TreePtr(tree);
}

}  // namespace

std::optional<std::string> tree_path(const std::string& path) {
  if (path.starts_with('/')) return std::nullopt;
  std::string normal;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    std::string step = path.substr(start, end - start);
    start = end + 1;
    if (step.empty() || step == ".") continue;
    if (step == "..") return std::nullopt;
    normal += (normal.empty() ? "" : "/") + step;
  }
  return normal;
}

GitTreeSource::GitTreeSource(Repository repository, TreePtr root, ResolvedRevision revision,
                             std::string root_path)
    : repository_(std::move(repository)),
      root_(std::move(root)),
      revision_(std::move(revision)),
      root_path_(std::move(root_path)) {}

TreeEntryPtr GitTreeSource::entry_at(const std::string& path) const {
  std::optional<std::string> inside = tree_path(path);
  if (!inside || inside->empty()) return nullptr;
  git_tree_entry* entry = nullptr;
  if (git_tree_entry_bypath(&entry, root_.get(), inside->c_str()) != 0) return nullptr;
  return TreeEntryPtr(entry);
}

Result<std::string> GitTreeSource::read(const std::string& path) const {
  std::optional<std::string> inside = tree_path(path);
  if (inside && inside->empty()) return file_error(path, "is a directory, not a file");
  TreeEntryPtr entry = entry_at(path);
  if (!entry) return file_error(path, "cannot read: no such file in " + described(revision_));
  if (!is_regular_file(git_tree_entry_filemode(entry.get())))
    return file_error(path, not_a_file_reason(*entry));
  return read_blob(path, *entry);
}

Result<std::string> GitTreeSource::read_blob(const std::string& path,
                                             const git_tree_entry& entry) const {
  // The size comes from the object's header, so a huge blob is refused before it is inflated.
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repository_.handle.get()) != 0)
    return file_error(path, git_error_text("cannot read"));
  OdbPtr odb(raw_odb);
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb.get(), git_tree_entry_id(&entry)) != 0)
    return file_error(path, git_error_text("cannot read"));
  if (size > config::kMaxConfigFileBytes)
    return file_error(path, "file is too large (" + std::to_string(size) + " bytes; the limit is " +
                                std::to_string(config::kMaxConfigFileBytes) + ")");
  git_blob* raw_blob = nullptr;
  if (git_blob_lookup(&raw_blob, repository_.handle.get(), git_tree_entry_id(&entry)) != 0)
    return file_error(path, git_error_text("cannot read"));
  BlobPtr blob(raw_blob);
  const char* content = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(content, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

bool GitTreeSource::exists(const std::string& path) const {
  std::optional<std::string> inside = tree_path(path);
  if (inside && inside->empty()) return true;  // the root itself
  return entry_at(path) != nullptr;
}

std::vector<std::string> GitTreeSource::list(const std::string& directory) const {
  std::vector<std::string> names;
  std::optional<std::string> inside = tree_path(directory);
  if (!inside) return names;
  TreePtr listed;
  const git_tree* tree = root_.get();
  if (!inside->empty()) {
    TreeEntryPtr entry = entry_at(directory);
    git_tree* raw_tree = nullptr;
    if (!entry || git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE ||
        git_tree_lookup(&raw_tree, repository_.handle.get(), git_tree_entry_id(entry.get())) != 0)
      return names;
    listed.reset(raw_tree);
    tree = listed.get();
  }
  for (std::size_t i = 0; i < git_tree_entrycount(tree); ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
    if (is_regular_file(git_tree_entry_filemode(entry)))
      names.emplace_back(git_tree_entry_name(entry));
  }
  // git orders a tree's entries as if directories ended in '/'; the contract is plain order.
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::unique_ptr<GitTreeSource>> open_revision_source(const std::string& project_directory,
                                                            const std::string& revision) {
  Result<Repository> repository = repository_of(project_directory);
  if (!repository) return std::move(repository).take_errors();
  Result<std::string> root_path = path_in_repository(project_directory, repository->work_tree);
  if (!root_path) return std::move(root_path).take_errors();
  Result<CommitPtr> commit = resolve_commit(repository->handle.get(), revision);
  if (!commit) return std::move(commit).take_errors();
  ResolvedRevision resolved = describe_commit(**commit, revision);
  git_tree* commit_tree = nullptr;
  if (git_commit_tree(&commit_tree, commit->get()) != 0)
    return make_error(SourceLocation{}, "",
                      git_error_text("cannot read the tree of " + described(resolved)));
  Result<TreePtr> root =
      subtree(repository->handle.get(), TreePtr(commit_tree), *root_path, resolved);
  if (!root) return std::move(root).take_errors();
  return std::make_unique<GitTreeSource>(std::move(*repository), std::move(*root),
                                         std::move(resolved), std::move(*root_path));
}

}  // namespace run::history
