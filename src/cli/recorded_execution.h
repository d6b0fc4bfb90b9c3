#pragma once

#include <atomic>
#include <optional>

#include "apply/executor.h"
#include "cli/deployment_record.h"
#include "cli/plan_session.h"
#include "core/result.h"
#include "history/record.h"

namespace run::cli {

/// How an execution went and whether its record was written.
struct RecordedExecution {
  apply::ExecutionReport report;
  double seconds = 0;
  std::optional<int> record_number;  ///< none when the record could not be written
  Diagnostics record_errors;         ///< why not
};

/// Executes the session's plan and appends its deployment record: the body of every change
/// apply, destroy, rollback and reconcile make. The store is opened and the record number
/// taken before anything changes (new containers carry it in run.deployment), so a history
/// that cannot be written is an error before anything changes. `source` says where the
/// configuration came from; none: the working tree of the project's repository.
Result<RecordedExecution> execute_recorded(PlanSession& session, const RecordIntent& intent,
                                           const std::optional<history::SourceInfo>& source,
                                           apply::ProgressSink& progress,
                                           const std::atomic<bool>& stop,
                                           const apply::ExecutorOptions& options);

}  // namespace run::cli
