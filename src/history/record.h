#pragma once

#include <optional>
#include <string>
#include <vector>

namespace run::history {

/// How an apply ended, as its record says. kInProgress: the record an apply writes before its
/// first change and rewrites as each action completes; one still in progress when its writer is
/// gone was cut short (SIGKILL, power cut, OOM kill) and reads as interrupted.
enum class Outcome { kSucceeded, kFailed, kInterrupted, kInProgress };

/// What started the deployment, or kTask: a one-off task (`run task`), which changes no
/// service and is never a deployment to compare with, roll back to or promote.
enum class RecordKind { kApply, kRollback, kDestroy, kReconcile, kTask };

/// Whether a record of `kind` deployed something (every kind but kTask).
bool is_deployment(RecordKind kind);

std::string_view to_string(Outcome outcome);
std::string_view to_string(RecordKind kind);
std::optional<Outcome> outcome_from(std::string_view text);
std::optional<RecordKind> record_kind_from(std::string_view text);

/// The config the deployment was made from: the commit of the repository that holds
/// run-config.yaml (empty outside git), and whether the working tree had changes.
struct SourceInfo {
  std::string commit;
  bool dirty = false;
  std::string revision;  ///< what the user named with --revision, else empty
};

/// One action as it ran.
struct ActionOutcome {
  std::string kind;      ///< create, replace, ...
  std::string resource;  ///< container, network, volume
  std::string name;
  /// done, failed, skipped, not-started; pending while its apply is in progress, interrupted
  /// when that apply was cut short before it completed
  std::string state;
  std::string message;
  double seconds = 0;
  std::vector<std::string> diagnostics;  ///< what a container that failed showed of itself
};

/// How a task's container ended.
enum class TaskEnd { kExited, kTimedOut, kInterrupted, kNotStarted };

std::string_view to_string(TaskEnd end);
std::optional<TaskEnd> task_end_from(std::string_view text);

/// One run of a task: the record of `run task`, or a hook of an apply.
struct TaskOutcome {
  std::string task;
  std::string when;  ///< manual, pre-deploy, post-deploy
  TaskEnd end = TaskEnd::kExited;
  std::optional<int> exit_code;  ///< none unless it exited
  double seconds = 0;
  std::string message;              ///< why it did not start or end: Docker's error, the timeout
  std::vector<std::string> output;  ///< its last lines (kTaskOutputLines), secrets redacted

  bool succeeded() const { return end == TaskEnd::kExited && exit_code == 0; }
};

/// How many of a task's last lines a record keeps.
inline constexpr std::size_t kTaskOutputLines = 20;

/// Who writes a record in progress: the process, so that a reader on the same host can tell a
/// running apply from one that was killed.
struct RecordWriter {
  std::string host;
  int pid = 0;
};

/// result.json: how the deployment went.
struct RecordResult {
  Outcome outcome = Outcome::kSucceeded;
  RecordKind kind = RecordKind::kApply;
  std::optional<int> rollback_of;  ///< the record a rollback restored
  std::string started_at;          ///< ISO 8601, UTC
  std::string finished_at;
  double seconds = 0;
  SourceInfo source;
  std::string summary;  ///< the plan's summary line ("2 to add, 1 to change, 0 to destroy")
  std::vector<ActionOutcome> actions;
  /// A task record's task; an apply's hooks in the order they ran. Empty for most records.
  std::vector<TaskOutcome> tasks;
  std::optional<RecordWriter> writer;  ///< an in-progress record's writer; none once finished
};

/// What an apply hands to the store: the three files of the record's tree and the author.
struct NewRecord {
  std::string environment;
  std::string state_json;  ///< the desired state (secrets as references)
  std::string plan_json;   ///< the plan that was applied
  RecordResult result;
  std::string actor;  ///< "Name <email>"; empty: RUN_ACTOR, else the git identity, else "run"
};

/// A record as read back. The files are read only when asked for (`read_record`).
struct RecordSummary {
  int number = 0;
  std::string environment;
  std::string commit;  ///< the record's own commit id
  std::string author;  ///< "Name <email>"
  std::string time;    ///< ISO 8601, UTC
  Outcome outcome = Outcome::kSucceeded;
  RecordKind kind = RecordKind::kApply;
  std::optional<int> rollback_of;
  std::string source_commit;
  bool source_dirty = false;
  std::string summary;
};

/// "record #12 of production": how messages name a record.
std::string record_name(const RecordSummary& summary);

struct Record {
  RecordSummary summary;
  std::string state_json;
  std::string plan_json;
  std::string result_json;
};

}  // namespace run::history
