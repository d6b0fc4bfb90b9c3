#include "build/git_context.h"

#include <algorithm>
#include <optional>

#include "history/git_tree_source.h"

namespace run::build {

namespace {

using history::BlobPtr;
using history::CommitPtr;
using history::GitPtr;
using history::Repository;
using history::TreeEntryPtr;
using history::TreePtr;

using OdbPtr = GitPtr<git_odb, git_odb_free>;
using OdbStreamPtr = GitPtr<git_odb_stream, git_odb_stream_free>;

constexpr std::size_t kReadPieceBytes = std::size_t{64} * 1024;

std::string joined(const std::string& directory, const char* name) {
  return directory.empty() ? std::string(name) : directory + "/" + name;
}

/// Hands `content` to `sink` in pieces, as a file would be read.
void feed(std::string_view content, const ContentSink& sink) {
  for (std::size_t start = 0; start < content.size(); start += kReadPieceBytes)
    if (!sink(content.substr(start, kReadPieceBytes))) return;
}

std::string short_id(const git_commit& commit) {
  return history::oid_text(*git_commit_id(&commit)).substr(0, 7);
}

Result<TreePtr> context_tree_of(const Repository& repository, const git_commit& commit,
                                const std::string& context_path, const std::string& described) {
  git_tree* commit_tree = nullptr;
  if (git_commit_tree(&commit_tree, &commit) != 0)
    return make_error(SourceLocation{}, "", history::git_error_text("cannot read " + described));
  TreePtr top(commit_tree);
  if (context_path.empty()) return top;
  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, top.get(), context_path.c_str()) != 0)
    return make_error(SourceLocation{}, "",
                      "the build context " + context_path + " is not in " + described,
                      "git log --oneline -- " + context_path + " shows when it was added or moved");
  TreeEntryPtr entry(raw_entry);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_TREE)
    return make_error(SourceLocation{}, "",
                      "the build context " + context_path + " is not a directory in " + described);
  git_tree* tree = nullptr;
  if (git_tree_lookup(&tree, repository.handle.get(), git_tree_entry_id(entry.get())) != 0)
    return make_error(SourceLocation{}, "",
                      history::git_error_text("cannot read " + context_path + " in " + described));
  return TreePtr(tree);
}

}  // namespace

GitContextTree::GitContextTree(Repository repository, TreePtr root, std::string description)
    : repository_(std::move(repository)),
      root_(std::move(root)),
      description_(std::move(description)) {}

Diagnostic GitContextTree::git_error(const std::string& path) const {
  return make_error(SourceLocation{}, "",
                    history::git_error_text("cannot read " + path + " in " + description_));
}

Result<std::vector<ContextEntry>> GitContextTree::walk() const {
  std::vector<ContextEntry> entries;
  if (Status walked = walk_tree(*root_, "", entries); !walked)
    return std::move(walked).take_errors();
  // git orders a tree as if its directories' names ended in '/'; the contract is plain order.
  std::sort(entries.begin(), entries.end(),
            [](const ContextEntry& a, const ContextEntry& b) { return a.path < b.path; });
  return entries;
}

Status GitContextTree::walk_tree(const git_tree& tree, const std::string& directory,
                                 std::vector<ContextEntry>& entries) const {
  for (std::size_t i = 0; i < git_tree_entrycount(&tree); ++i) {
    const git_tree_entry* item = git_tree_entry_byindex(&tree, i);
    std::string path = joined(directory, git_tree_entry_name(item));
    git_filemode_t mode = git_tree_entry_filemode(item);
    if (mode == GIT_FILEMODE_COMMIT) continue;  // a submodule
    if (mode == GIT_FILEMODE_TREE) {
      git_tree* subtree = nullptr;
      if (git_tree_lookup(&subtree, repository_.handle.get(), git_tree_entry_id(item)) != 0)
        return git_error(path);
      TreePtr owned(subtree);
      if (Status walked = walk_tree(*owned, path, entries); !walked) return walked;
      continue;
    }
    Result<ContextEntry> entry = blob_entry(*item, path);
    if (!entry) return std::move(entry).take_errors();
    entries.push_back(std::move(*entry));
  }
  return ok_status();
}

Result<ContextEntry> GitContextTree::blob_entry(const git_tree_entry& item,
                                                const std::string& path) const {
  git_filemode_t mode = git_tree_entry_filemode(&item);
  if (mode == GIT_FILEMODE_LINK) {
    git_blob* raw_blob = nullptr;
    if (git_blob_lookup(&raw_blob, repository_.handle.get(), git_tree_entry_id(&item)) != 0)
      return git_error(path);
    BlobPtr blob(raw_blob);
    std::string target(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                       static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    std::uint64_t size = target.size();
    return ContextEntry{path, EntryType::kSymlink, false, size, std::move(target)};
  }
  // The size from the object's header: a large blob is not inflated to be listed.
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repository_.handle.get()) != 0) return git_error(path);
  OdbPtr odb(raw_odb);
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb.get(), git_tree_entry_id(&item)) != 0)
    return git_error(path);
  return ContextEntry{path, EntryType::kFile, mode == GIT_FILEMODE_BLOB_EXECUTABLE, size, {}};
}

Status GitContextTree::read(const std::string& path, const ContentSink& sink) const {
  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, root_.get(), path.c_str()) != 0)
    return make_error(SourceLocation{}, "",
                      "cannot read " + path + ": no such file in " + description_);
  TreeEntryPtr entry(raw_entry);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB)
    return make_error(SourceLocation{}, "",
                      "cannot read " + path + ": not a file in " + description_);
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repository_.handle.get()) != 0) return git_error(path);
  OdbPtr odb(raw_odb);
  git_odb_stream* raw_stream = nullptr;
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_open_rstream(&raw_stream, &size, &type, odb.get(), git_tree_entry_id(entry.get())) !=
      0) {
    // Only the loose-object backend streams; a packed blob is read whole.
    git_blob* raw_blob = nullptr;
    if (git_blob_lookup(&raw_blob, repository_.handle.get(), git_tree_entry_id(entry.get())) != 0)
      return git_error(path);
    BlobPtr blob(raw_blob);
    feed(std::string_view(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                          static_cast<std::size_t>(git_blob_rawsize(blob.get()))),
         sink);
    return ok_status();
  }
  OdbStreamPtr stream(raw_stream);
  std::string piece(kReadPieceBytes, '\0');
  while (true) {
    int got = git_odb_stream_read(stream.get(), piece.data(), piece.size());
    if (got < 0) return git_error(path);
    if (got == 0) return ok_status();
    if (!sink(std::string_view(piece.data(), static_cast<std::size_t>(got)))) return ok_status();
  }
}

Result<std::unique_ptr<GitContextTree>> open_git_context(const std::string& directory,
                                                         const std::string& revision,
                                                         const std::string& context_path) {
  Result<std::optional<Repository>> found = history::discover_repository(directory);
  if (!found) return std::move(found).take_errors();
  if (!*found)
    return make_error(SourceLocation{}, "",
                      directory +
                          " is not in a git repository, so its build context has no "
                          "revisions");
  Repository repository = std::move(**found);
  Result<CommitPtr> commit = history::resolve_commit(repository.handle.get(), revision);
  if (!commit) return std::move(commit).take_errors();
  std::optional<std::string> path = history::tree_path(context_path);
  if (!path)
    return make_error(SourceLocation{}, "",
                      "build context " + context_path + " is outside the repository");
  std::string inside = *path;
  std::string described = "commit " + short_id(**commit);
  Result<TreePtr> tree = context_tree_of(repository, **commit, inside, described);
  if (!tree) return std::move(tree).take_errors();
  std::string description = (inside.empty() ? "" : inside + "/ in ") + described;
  return std::make_unique<GitContextTree>(std::move(repository), std::move(*tree),
                                          std::move(description));
}

}  // namespace run::build
