#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "history/record.h"

namespace run::history {

/// The format_version that result_to_json writes and result_from_json reads.
inline constexpr std::string_view kResultFormatVersion = "1";

/// result.json of a deployment record, pretty-printed with two-space indents, members in
/// this order, every member always present:
///
///     {"format_version": "1", "number": 12, "environment": "production",
///      "outcome": "succeeded|failed|interrupted", "kind": "apply|rollback|destroy|reconcile|task",
///      "rollback_of": null | N, "started_at": ISO 8601, "finished_at": ISO 8601,
///      "seconds": 12.5, "source": {"commit", "dirty", "revision"}, "summary": "...",
///      "actions": [{"kind", "resource", "name", "state", "message", "seconds"}, ...],
///      "tasks": [{"task", "when", "end", "exit_code", "seconds", "message", "output"}]}
///
/// "tasks" (a task record's run, an apply's hooks) is written only when there are some; an
/// action's "diagnostics" only when it has them.
///
/// `number` and `environment` are written for a reader of the file alone (`git show`);
/// the record's place in its ref is what counts, so result_from_json checks their types
/// and does not return them.
std::string result_to_json(const RecordResult& result, int number, const std::string& environment);

/// Parses exactly the format above (any member order). Every problem is reported, each with
/// `what` (e.g. "record 12 of production: result.json") as its location and the JSON path of
/// the member at fault; a format_version other than "1" is one error that says which
/// version this run reads.
Result<RecordResult> result_from_json(std::string_view json, const std::string& what);

}  // namespace run::history
