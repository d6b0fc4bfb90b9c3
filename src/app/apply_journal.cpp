#include "app/apply_journal.h"

#include "app/deployment_record.h"

namespace run::app {

Result<std::unique_ptr<ApplyJournal>> ApplyJournal::begin(history::RecordStore& store,
                                                          history::NewRecord in_progress,
                                                          apply::ProgressSink& inner) {
  Result<int> number = store.append(in_progress);
  if (!number) return number.errors();
  return std::unique_ptr<ApplyJournal>(new ApplyJournal(store, std::move(in_progress), *number,
                                                        inner, std::chrono::system_clock::now()));
}

void ApplyJournal::started(std::size_t index, const plan::Action& action) {
  inner_.started(index, action);
}

void ApplyJournal::finished(std::size_t index, const plan::Action& action,
                            const apply::ActionResult& result) {
  inner_.finished(index, action, result);
  std::lock_guard<std::mutex> lock(mutex_);
  if (index >= record_.result.actions.size()) return;
  record_.result.actions[index] = action_outcome(action, result);
  // Until the end, "finished" is the last action's end: where a killed apply got to.
  auto now = std::chrono::system_clock::now();
  record_.result.finished_at = iso_utc(now);
  record_.result.seconds = std::chrono::duration<double>(now - started_).count();
  // One failed rewrite (a full disk) stops the rest: each would fail the same way, and the
  // end says so once.
  if (!progress_errors_.empty()) return;
  if (Status written = store_.replace_latest(record_, number_); !written)
    progress_errors_ = written.errors();
}

void ApplyJournal::note(const std::string& text) { inner_.note(text); }

void ApplyJournal::step(std::size_t index, const plan::Action& action, const std::string& text) {
  inner_.step(index, action, text);
}

Status ApplyJournal::finish(const history::NewRecord& ended) {
  std::lock_guard<std::mutex> lock(mutex_);
  record_ = ended;
  Status written = store_.replace_latest(record_, number_);
  if (written) return written;
  Diagnostics errors = progress_errors_.empty() ? written.errors() : progress_errors_;
  for (Diagnostic& error : errors)
    if (error.hint.empty())
      error.hint = "record #" + std::to_string(number_) +
                   " still says it is in progress; once this process has ended it reads as "
                   "interrupted, and the next apply records it so";
  return errors;
}

}  // namespace run::app
