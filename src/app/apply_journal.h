#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "apply/progress.h"
#include "core/result.h"
#include "history/record_store.h"

namespace run::app {

/// The record of an execution as it goes, so that a SIGKILL, a power cut or an OOM kill
/// leaves a record that says what completed: written "in progress" before the first change
/// (the plan it will execute, every action pending), rewritten as each action completes, and
/// finished when the execution ends. A record left in progress by a process that is gone reads
/// as interrupted (app/unfinished_apply.h), and the next apply finalises it so.
///
/// It is the executor's progress sink, passing every event on to `inner` (the view) and
/// rewriting the record when an action finishes. Called from the executor's workers.
class ApplyJournal final : public apply::ProgressSink {
 public:
  /// Appends `in_progress` (outcome in progress); an error when it cannot be written, and
  /// then nothing may change.
  static Result<std::unique_ptr<ApplyJournal>> begin(history::RecordStore& store,
                                                     history::NewRecord in_progress,
                                                     apply::ProgressSink& inner);

  /// The record's number: the deployment label of the containers the execution makes.
  int number() const { return number_; }

  void started(std::size_t index, const plan::Action& action) override;
  void finished(std::size_t index, const plan::Action& action,
                const apply::ActionResult& result) override;
  void note(const std::string& text) override;
  void step(std::size_t index, const plan::Action& action, const std::string& text) override;

  /// Rewrites the record as the execution ended. Its errors are the ones the progress
  /// rewrites met on the way, if the end could not be written either.
  Status finish(const history::NewRecord& ended);

 private:
  ApplyJournal(history::RecordStore& store, history::NewRecord record, int number,
               apply::ProgressSink& inner, std::chrono::system_clock::time_point started)
      : store_(store),
        record_(std::move(record)),
        number_(number),
        inner_(inner),
        started_(started) {}

  history::RecordStore& store_;
  std::mutex mutex_;           ///< guards record_ and progress_errors_, and orders the rewrites
  history::NewRecord record_;  ///< as last written
  int number_;
  apply::ProgressSink& inner_;
  std::chrono::system_clock::time_point started_;
  Diagnostics progress_errors_;  ///< the first rewrite that failed (later ones are not tried)
};

}  // namespace run::app
