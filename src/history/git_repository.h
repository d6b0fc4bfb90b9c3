#pragma once

#include <git2.h>

#include <memory>
#include <optional>
#include <string>

#include "core/result.h"

namespace run::history {

/// libgit2 is initialised once per process, on first use, and never shut down: the process
/// ends first, and a shutdown racing another thread's use would be worse than the leak.
void ensure_libgit2();

/// The last libgit2 error as one line ("what: libgit2's message").
std::string git_error_text(const std::string& what);

template <typename T, void (*Free)(T*)>
struct GitDeleter {
  void operator()(T* object) const { Free(object); }
};
template <typename T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitDeleter<T, Free>>;

using RepositoryPtr = GitPtr<git_repository, git_repository_free>;
using CommitPtr = GitPtr<git_commit, git_commit_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using TreeEntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using ReferencePtr = GitPtr<git_reference, git_reference_free>;
using RevwalkPtr = GitPtr<git_revwalk, git_revwalk_free>;
using SignaturePtr = GitPtr<git_signature, git_signature_free>;
using TreeBuilderPtr = GitPtr<git_treebuilder, git_treebuilder_free>;
using IndexPtr = GitPtr<git_index, git_index_free>;
using ConfigPtr = GitPtr<git_config, git_config_free>;

/// A git repository found from a directory.
struct Repository {
  RepositoryPtr handle;
  std::string git_directory;  ///< the .git directory (or the bare repository itself)
  std::string work_tree;      ///< empty for a bare repository
};

/// The repository that holds `directory`, searching upwards; nullopt when there is none.
/// A repository owned by another user gives an error that says how to trust it.
Result<std::optional<Repository>> discover_repository(const std::string& directory);

/// Opens the bare repository at `path`, creating it when it does not exist.
Result<Repository> open_or_init_bare(const std::string& path);

/// The commit REV names (a branch, tag, sha, HEAD~2, ...), or an error naming REV.
Result<CommitPtr> resolve_commit(git_repository* repository, const std::string& rev);

/// The 40-hex id of an object id.
std::string oid_text(const git_oid& id);

}  // namespace run::history
