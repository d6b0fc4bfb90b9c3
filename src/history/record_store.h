#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "history/record.h"

namespace run::history {

/// Whether opening a store may create it: kRead never creates anything (outside git, with no
/// .run/history.git yet, the store is empty); kWrite creates the bare repository when needed.
enum class StoreAccess { kRead, kWrite };

/// The seam to an environment's deployment records: HistoryStore keeps them in git; the use
/// cases' tests keep them in memory.
class RecordStore {
 public:
  virtual ~RecordStore() = default;

  /// Whether `environment` has records (without reading, or checking, what they hold).
  virtual Result<bool> has_history(const std::string& environment) const = 0;
  /// The records of `environment`, newest first. Empty when it has none.
  virtual Result<std::vector<RecordSummary>> list(const std::string& environment) const = 0;
  /// Record `number`, with its files; an error naming the numbers that exist when it does not.
  virtual Result<Record> read(const std::string& environment, int number) const = 0;
  /// The newest record whose outcome is succeeded, or nullopt.
  virtual Result<std::optional<Record>> last_successful(const std::string& environment) const = 0;
  /// The number the next record of `environment` will get (1 for the first).
  virtual Result<int> next_number(const std::string& environment) const = 0;
  /// Appends a record and returns its number (which may be above next_number's when another
  /// writer appended in between).
  virtual Result<int> append(const NewRecord& record) = 0;
  /// The newest record of `environment`, with its files; nullopt when it has none.
  virtual Result<std::optional<Record>> latest(const std::string& environment) const = 0;
  /// Rewrites record `number`, which must be the newest: the record of an apply in progress,
  /// as its actions complete and when it ends (or when the next apply finds it was cut short).
  /// An error, and nothing changed, when another record came after it.
  virtual Status replace_latest(const NewRecord& record, int number) = 0;
  /// Where the project's configuration came from: the commit and whether the tree is dirty;
  /// empty outside git.
  virtual SourceInfo source_info() const = 0;
};

}  // namespace run::history
