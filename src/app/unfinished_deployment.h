#pragma once

#include <functional>
#include <optional>

#include "history/record.h"
#include "history/record_store.h"
#include "plan/plan.h"

namespace run::app {

/// Whether the writer of a record in progress still runs: a process of this host that
/// exists. A writer on another host cannot be asked, and counts as running.
bool writer_running(const history::RecordWriter& writer);

using WriterCheck = std::function<bool(const history::RecordWriter&)>;

/// What the environment's newest record says of a deployment that did not finish, or nullopt:
/// interrupted (by Ctrl-C; or left in progress by a process that is gone), or still running.
/// Task records and records that finished are nullopt; so is a result.json that cannot be read.
std::optional<plan::UnfinishedDeployment> unfinished_deployment(const history::Record& newest,
                                                                const WriterCheck& running);

/// A record left in progress by a process that is gone, as the next apply finalises it:
/// interrupted, its pending actions interrupted, its writer dropped. nullopt when `newest` is
/// not such a record.
std::optional<history::NewRecord> finalised_as_interrupted(const history::Record& newest,
                                                           const WriterCheck& running);

/// The records of `environment` as they read now, newest first: a newest record left in
/// progress by a process that is gone reads as interrupted (what the next apply records).
Result<std::vector<history::RecordSummary>> records_as_they_read(const history::RecordStore& store,
                                                                 const std::string& environment);

}  // namespace run::app
