#include "cli/recorded_execution.h"

#include <chrono>

#include "history/history_store.h"

namespace run::cli {

Result<RecordedExecution> execute_recorded(PlanSession& session, const RecordIntent& intent,
                                           const std::optional<history::SourceInfo>& source,
                                           apply::ProgressSink& progress,
                                           const std::atomic<bool>& stop,
                                           const apply::ExecutorOptions& options) {
  Result<history::HistoryStore> store =
      history::HistoryStore::open(session.project_directory, history::HistoryStore::Access::kWrite);
  if (!store) return store.errors();
  Result<int> number = store->next_number(session.desired.environment);
  if (!number) return number.errors();
  history::SourceInfo config_source = source ? *source : store->source_info();
  auto started = std::chrono::steady_clock::now();
  auto started_at = std::chrono::system_clock::now();
  apply::ExecutionContext context{*session.docker,
                                  session.desired,
                                  session.project_directory,
                                  std::to_string(*number),
                                  progress,
                                  stop,
                                  options};
  RecordedExecution execution;
  execution.report = apply::execute(session.plan, context);
  execution.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  history::NewRecord record =
      deployment_record(session.desired, session.plan, execution.report, intent, config_source,
                        started_at, std::chrono::system_clock::now());
  Result<int> recorded = store->append(record);
  if (recorded)
    execution.record_number = *recorded;
  else
    execution.record_errors = recorded.errors();
  return execution;
}

}  // namespace run::cli
