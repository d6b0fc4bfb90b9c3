#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "history/record.h"

namespace run::history {

/// The commit message of a record: a subject a reviewer reads in `git log --oneline`
/// ("production #12: apply succeeded, 1 to add, 1 to change, 0 to destroy"), a body in
/// words, and trailers (Run-Record, Run-Environment, Run-Kind, Run-Outcome, Run-Source,
/// Run-Source-Dirty, Run-Rollback-Of) that `run history` reads without opening the files.
std::string record_message(const RecordSummary& summary, const RecordResult& result);

/// The summary a record's message holds; an error naming what is missing or malformed.
/// commit, author and time are not in the message and are left empty.
Result<RecordSummary> parse_record_message(std::string_view message);

/// The summary of a record about to be written as number `number`.
RecordSummary summary_for(const NewRecord& record, int number);

}  // namespace run::history
