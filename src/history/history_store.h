#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "history/git_repository.h"
#include "history/record.h"
#include "history/record_store.h"

namespace run::history {

/// The deployment records of a project, one git ref per environment:
/// refs/run/history/<env>, a chain of commits whose trees hold state.json, plan.json and
/// result.json. Kept in the repository that holds the project, else in a bare repository
/// at <project>/.run/history.git.
class HistoryStore final : public RecordStore {
 public:
  /// kRead never creates anything: outside git, with no .run/history.git yet, the store is
  /// empty. kWrite creates the bare repository when it is needed.
  using Access = StoreAccess;

  /// Finds the repository for the project directory (the one holding run-config.yaml).
  static Result<HistoryStore> open(const std::string& project_directory,
                                   Access access = Access::kRead);

  /// Whether refs/run/history/<environment> exists (without reading, or checking, what it holds).
  Result<bool> has_history(const std::string& environment) const override;
  /// The records of `environment`, newest first. Empty when it has none.
  Result<std::vector<RecordSummary>> list(const std::string& environment) const override;
  /// Record `number`, with its files; an error naming the numbers that exist when it does not.
  Result<Record> read(const std::string& environment, int number) const override;
  /// The newest record whose outcome is succeeded, or nullopt.
  Result<std::optional<Record>> last_successful(const std::string& environment) const override;
  /// The number the next record of `environment` will get (1 for the first).
  Result<int> next_number(const std::string& environment) const override;
  /// Appends a record and returns its number. Atomic: the ref moves only when it still
  /// points at the parent the record was built on; a writer that lost the race rebuilds on
  /// top of the new tip (so the number may grow) and tries again.
  Result<int> append(const NewRecord& record) override;
  Result<std::optional<Record>> latest(const std::string& environment) const override;
  /// Replaces the tip's commit by one on the same parent; the ref moves only from the commit
  /// that was read, so a record appended in between is never lost.
  Status replace_latest(const NewRecord& record, int number) override;

  /// The repository's .git directory (or the bare history repository).
  std::string location() const;
  /// Where the project's config came from: the HEAD commit and whether the tree is dirty;
  /// empty outside git.
  SourceInfo source_info() const override;
  /// The repository (for reading the config at a revision); nullptr for the bare store.
  git_repository* project_repository() const;

  static std::string ref_name(const std::string& environment) {
    return "refs/run/history/" + environment;
  }

 private:
  HistoryStore(std::optional<Repository> repository, bool inside_project, std::string bare_path);
  Result<Record> read_files(const RecordSummary& summary) const;
  Result<int> append_with_retries(const NewRecord& record);

  std::optional<Repository> repository_;  ///< none: read access and no history yet
  bool inside_project_ = false;           ///< the project's own repository, not .run/history.git
  std::string bare_path_;
  std::string project_path_;  ///< the project directory inside the work tree ("" at its root)
};

}  // namespace run::history
