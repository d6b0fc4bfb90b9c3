// run task: a declared one-off task on the environment's network, its output passed on, its
// exit code run's; with no name, the tasks the configuration declares.
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "app/progress_task_view.h"
#include "app/task_run.h"
#include "cli/command_table.h"
#include "cli/interrupts.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "core/json_text.h"

namespace run::cli {

namespace {

struct TaskFlags {
  std::string name;
  std::vector<std::string> args;
};

enum class TaskFormat { kText, kJson };

/// The task's lines as it writes them: stdout to stdout and stderr to stderr, as `docker run`
/// passes them; with -o json both go to stderr, stdout holding the one result object.
class StreamingTaskView final : public app::TaskView {
 public:
  explicit StreamingTaskView(TaskFormat format) : format_(format) {}
  void task_started(const model::TaskSpec&, model::TaskWhen) override {}
  void task_line(const model::TaskSpec&, const docker::LogLine& line) override {
    bool to_stdout = format_ == TaskFormat::kText && line.stream == docker::LogStream::kStdout;
    std::string text = line.text + "\n";
    if (to_stdout)
      print_result(text);
    else
      std::fputs(text.c_str(), stderr);
  }
  void task_finished(const history::TaskOutcome&) override {}

 private:
  TaskFormat format_;
};

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + json_quote(items[i]);
  return out + "]";
}

std::string seconds_json(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  return text;
}

std::string command_text(const std::vector<std::string>& command) {
  std::string text;
  for (const std::string& word : command) text += (text.empty() ? "" : " ") + word;
  return text;
}

/// One line per task: its name, when it runs, and its command.
std::string task_list_text(const model::DesiredState& desired) {
  if (desired.tasks.empty())
    return "No tasks in " + desired.project + "/" + desired.environment +
           ". Declare them under 'tasks:' in run-config.yaml.\n";
  std::size_t width = 0;
  for (const model::TaskSpec& task : desired.tasks) width = std::max(width, task.name.size());
  std::string text;
  for (const model::TaskSpec& task : desired.tasks) {
    std::string name = task.name;
    name.resize(width, ' ');
    std::string where = task.service.empty() ? "image " + task.image : "service " + task.service;
    text += name + "  " + std::string(model::to_string(task.when)) + ", " + where +
            (task.command.empty() ? "" : ": " + command_text(task.command)) + "\n";
  }
  return text;
}

std::string task_list_json(const model::DesiredState& desired) {
  std::string out = "[";
  for (std::size_t i = 0; i < desired.tasks.size(); ++i) {
    const model::TaskSpec& task = desired.tasks[i];
    out += std::string(i ? ",\n " : "\n ") + "{\"name\": " + json_quote(task.name) +
           ", \"when\": " + json_quote(model::to_string(task.when)) +
           ", \"service\": " + json_quote(task.service) + ", \"image\": " + json_quote(task.image) +
           ", \"command\": " + json_list(task.command) +
           ", \"run_if_changed\": " + json_list(task.run_if_changed) + "}";
  }
  return out + (desired.tasks.empty() ? "]\n" : "\n]\n");
}

std::string outcome_json(const app::RecordedTask& task) {
  const history::TaskOutcome& outcome = task.outcome;
  return "{\"task\": " + json_quote(outcome.task) +
         ", \"end\": " + json_quote(history::to_string(outcome.end)) + ", \"exit_code\": " +
         (outcome.exit_code ? std::to_string(*outcome.exit_code) : std::string("null")) +
         ", \"seconds\": " + seconds_json(outcome.seconds) +
         ", \"message\": " + json_quote(outcome.message) + ", \"record\": " +
         (task.record_number ? std::to_string(*task.record_number) : std::string("null")) +
         ", \"output\": " + json_list(outcome.output) + "}\n";
}

/// The task's end as run's exit code: its own, 1 when it timed out or did not start, 130
/// when interrupted.
ExitCode exit_code_of(const history::TaskOutcome& outcome) {
  switch (outcome.end) {
    case history::TaskEnd::kExited:
      return static_cast<ExitCode>(outcome.exit_code.value_or(0) & 0xff);
    case history::TaskEnd::kInterrupted:
      return ExitCode::kInterrupted;
    case history::TaskEnd::kTimedOut:
    case history::TaskEnd::kNotStarted:
      return ExitCode::kError;
  }
  return ExitCode::kError;
}

/// How it went, on stderr (stdout is the task's): the end, and the record it was kept as.
void report(const app::RecordedTask& task, const std::string& environment) {
  const history::TaskOutcome& outcome = task.outcome;
  std::string line = "task " + outcome.task + " " + app::task_end_text(outcome);
  if (task.record_number)
    line += "; recorded as " + environment + " #" + std::to_string(*task.record_number);
  std::fputs((line + "\n").c_str(), stderr);
}

ExitCode run_task(const GlobalOptions& global, const TaskFlags& flags) {
  Result<std::string> format = output_format(global, "task", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  watch.on_stop([] {});  // Ctrl-C stops the task's container: exit 130 says it
  watch.on_abort_say(
      "aborted: the task's container may still be there; the next run of the task removes it");
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  const model::DesiredState& desired = open->loaded.desired;
  if (flags.name.empty()) {
    print_result(*format == "json" ? task_list_json(desired) : task_list_text(desired));
    return ExitCode::kSuccess;
  }
  StreamingTaskView view(*format == "json" ? TaskFormat::kJson : TaskFormat::kText);
  Result<app::RecordedTask> ran =
      app::run_recorded_task(*open->engine, *open->workspace, open->loaded,
                             {flags.name, flags.args}, view, watch.stop_requested());
  if (!ran) return fail(ran.errors(), global);
  if (*format == "json") print_result(outcome_json(*ran));
  if (!ran->outcome.message.empty() && ran->outcome.end == history::TaskEnd::kNotStarted)
    return fail({make_error(SourceLocation{}, "",
                            "task " + flags.name + " did not start: " + ran->outcome.message)},
                global);
  if (*format != "json") report(*ran, desired.environment);
  if (!ran->record_number) return fail(ran->record_errors, global);
  return exit_code_of(ran->outcome);
}

}  // namespace

void add_task_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand("task", "Run a declared one-off task, or list the tasks");
  auto flags = std::make_shared<TaskFlags>();
  command->add_option("name", flags->name, "The task (default: list the tasks)")->type_name("NAME");
  command->add_option("args", flags->args, "Arguments appended to the task's command, after --")
      ->type_name("ARGS");
  command->footer(
      "Runs the task NAME of 'tasks:' in run-config.yaml in a one-off container on the\n"
      "environment's network (it reaches the services by name), with its service's image, env,\n"
      "volumes and networks when it names one; everything after -- is appended to its command,\n"
      "as 'docker run IMAGE CMD ARGS' does:\n"
      "  run task db-restore --env dev -- backups/dev-20261202T221500Z.sql\n"
      "Its stdout and stderr are passed through; run exits with its exit code. The container is\n"
      "removed when it ends, when its timeout passes (exit 1) or on Ctrl-C (exit 130). Each run\n"
      "is a record of kind 'task' in the environment's history (exit code, duration, last 20\n"
      "lines, secrets redacted). With no NAME, lists the tasks; -o json: the list, or one\n"
      "result object (task, end, exit_code, seconds, message, record, output) on stdout with\n"
      "the task's output on stderr. Tasks with 'when: pre-deploy' or 'post-deploy' also run as\n"
      "hooks of 'run apply' (see 'run plan').\n"
      "Exit codes: the task's, 1 for an unknown task, an environment not deployed, a timeout or\n"
      "Docker's error, 130 on Ctrl-C.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_task(global, *flags); };
  });
}

}  // namespace run::cli
