#include "history/git_repository.h"

#include <filesystem>
#include <mutex>

namespace run::history {

void ensure_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

std::string git_error_text(const std::string& what) {
  const git_error* error = git_error_last();
  if (error == nullptr || error->message == nullptr) return what;
  return what + ": " + error->message;
}

namespace {

Diagnostic ownership_error(const std::string& directory) {
  return make_error(
      SourceLocation{}, "",
      "the git repository at " + directory + " belongs to another user, and git refuses to use it",
      "if you trust it, run: git config --global --add safe.directory " + directory +
          " (common in CI containers, where the checkout belongs to another uid)");
}

Repository wrap(git_repository* handle) {
  Repository repository;
  repository.handle.reset(handle);
  const char* git_directory = git_repository_path(handle);
  const char* work_tree = git_repository_workdir(handle);
  repository.git_directory = git_directory ? git_directory : "";
  repository.work_tree = work_tree ? work_tree : "";
  while (repository.work_tree.size() > 1 && repository.work_tree.back() == '/')
    repository.work_tree.pop_back();
  return repository;
}

/// libgit2 1.5.1 (Debian 12) answers GIT_ENOTFOUND instead of GIT_EOWNER for a repository
/// owned by another user when no safe.directory is configured at all (the usual case in a CI
/// container), as if there were no repository: run would then write its records to
/// .run/history.git inside the other user's work tree. Discovery does not check ownership, so a
/// repository it finds where opening found none is one that was refused.
bool refused_as_not_found(int code, const std::string& directory, unsigned int flags) {
  if (code != GIT_ENOTFOUND) return false;
  git_buf found = GIT_BUF_INIT;
  bool exists = git_repository_discover(&found, directory.c_str(), 0, nullptr) == 0;
  std::error_code ignored;
  if (exists && (flags & GIT_REPOSITORY_OPEN_NO_SEARCH) != 0)
    exists = std::filesystem::equivalent(std::filesystem::path(found.ptr),
                                         std::filesystem::path(directory), ignored);
  git_buf_dispose(&found);
  return exists;
}

}  // namespace

Result<std::optional<Repository>> discover_repository(const std::string& directory) {
  ensure_libgit2();
  git_repository* handle = nullptr;
  int code = git_repository_open_ext(&handle, directory.c_str(), 0, nullptr);
  if (refused_as_not_found(code, directory, 0)) code = GIT_EOWNER;
  if (code == GIT_ENOTFOUND) return std::optional<Repository>();
  if (code == GIT_EOWNER) {
    // libgit2 names the directory it refused in its message; the work tree is what a user types.
    git_buf found = GIT_BUF_INIT;
    std::string shown = directory;
    if (git_repository_discover(&found, directory.c_str(), 0, nullptr) == 0) {
      shown = std::filesystem::path(found.ptr).parent_path().parent_path().string();
      if (std::filesystem::path(found.ptr).filename() != ".git" && shown.ends_with("/.git"))
        shown.resize(shown.size() - 5);
    }
    git_buf_dispose(&found);
    return ownership_error(shown);
  }
  if (code != 0)
    return make_error(SourceLocation{}, "",
                      git_error_text("cannot open the git repository at " + directory));
  return std::optional<Repository>(wrap(handle));
}

Result<Repository> open_or_init_bare(const std::string& path) {
  ensure_libgit2();
  git_repository* handle = nullptr;
  constexpr unsigned int kFlags = GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE;
  int code = git_repository_open_ext(&handle, path.c_str(), kFlags, nullptr);
  if (refused_as_not_found(code, path, kFlags)) code = GIT_EOWNER;
  if (code == GIT_EOWNER) return ownership_error(path);
  if (code == GIT_ENOTFOUND) {
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
    code = git_repository_init(&handle, path.c_str(), 1);
  }
  if (code != 0)
    return make_error(SourceLocation{}, "",
                      git_error_text("cannot open the history repository " + path));
  return wrap(handle);
}

Result<CommitPtr> resolve_commit(git_repository* repository, const std::string& rev) {
  git_object* object = nullptr;
  if (git_revparse_single(&object, repository, rev.c_str()) != 0)
    return make_error(SourceLocation{}, "",
                      "revision '" + rev + "' does not exist in this repository",
                      "name a branch, a tag or a commit: git log --oneline shows them");
  ObjectPtr owned(object);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) != 0)
    return make_error(SourceLocation{}, "", "revision '" + rev + "' does not name a commit");
  return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

std::string oid_text(const git_oid& id) {
  char text[GIT_OID_HEXSZ + 1];
  git_oid_tostr(text, sizeof text, &id);
  return text;
}

}  // namespace run::history
