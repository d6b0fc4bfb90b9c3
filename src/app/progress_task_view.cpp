#include "app/progress_task_view.h"

#include "core/seconds_text.h"

namespace run::app {

std::string task_end_text(const history::TaskOutcome& outcome) {
  std::string took = " (" + seconds_text(outcome.seconds) + ")";
  switch (outcome.end) {
    case history::TaskEnd::kExited:
      return "exited " + std::to_string(outcome.exit_code.value_or(0)) + took;
    case history::TaskEnd::kTimedOut:
      return "timed out" + took + ": " + outcome.message;
    case history::TaskEnd::kInterrupted:
      return "interrupted" + took + ": " + outcome.message;
    case history::TaskEnd::kNotStarted:
      return "did not start: " + outcome.message;
  }
  return {};
}

void ProgressTaskView::task_started(const model::TaskSpec& task, model::TaskWhen when) {
  sink_().note(std::string(model::to_string(when)) + " task " + task.name + ": running");
}

void ProgressTaskView::task_line(const model::TaskSpec& task, const docker::LogLine& line) {
  sink_().note(task.name + " | " + line.text);
}

void ProgressTaskView::task_finished(const history::TaskOutcome& outcome) {
  sink_().note(outcome.when + " task " + outcome.task + ": " + task_end_text(outcome));
}

}  // namespace run::app
