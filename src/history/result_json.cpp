#include "history/result_json.h"

#include <limits>

#include "history/json_reader.h"
#include "history/json_writer.h"

namespace run::history {

namespace {

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();

// ---- writing ------------------------------------------------------------------------------

void write_source(JsonWriter& json, const SourceInfo& source) {
  json.key("source");
  json.begin_object();
  json.string_member("commit", source.commit);
  json.boolean_member("dirty", source.dirty);
  json.string_member("revision", source.revision);
  json.end_object();
}

void write_action(JsonWriter& json, const ActionOutcome& action) {
  json.begin_object();
  json.string_member("kind", action.kind);
  json.string_member("resource", action.resource);
  json.string_member("name", action.name);
  json.string_member("state", action.state);
  json.string_member("message", action.message);
  json.number_member("seconds", action.seconds);
  if (!action.diagnostics.empty()) json.strings_member("diagnostics", action.diagnostics);
  json.end_object();
}

void write_task(JsonWriter& json, const TaskOutcome& task) {
  json.begin_object();
  json.string_member("task", task.task);
  json.string_member("when", task.when);
  json.string_member("end", to_string(task.end));
  json.key("exit_code");
  task.exit_code ? json.integer(*task.exit_code) : json.null();
  json.number_member("seconds", task.seconds);
  json.string_member("message", task.message);
  json.strings_member("output", task.output);
  json.end_object();
}

void write_writer(JsonWriter& json, const RecordWriter& writer) {
  json.key("writer");
  json.begin_object();
  json.string_member("host", writer.host);
  json.integer_member("pid", writer.pid);
  json.end_object();
}

// ---- reading ------------------------------------------------------------------------------

/// Reads `name` with `parse` (outcome_from, record_kind_from); an error listing `choices`
/// when it is none of them.
template <class Parse>
auto read_choice(JsonReader& reader, JsonObject& object, std::string_view name, Parse parse,
                 std::string_view choices) {
  std::string text = object.string(name);
  auto value = parse(text);
  if (!value && object.member(name) && object.member(name)->IsString())
    reader.error(object.path_of(name), "unknown value '" + text + "'",
                 "expected one of " + std::string(choices));
  return value;
}

SourceInfo read_source(JsonReader& reader, JsonObject& result) {
  const JsonValue* value = result.member("source");
  if (value == nullptr) return {};
  JsonObject object(reader, *value, result.path_of("source"), {"commit", "dirty", "revision"});
  return SourceInfo{object.string("commit"), object.boolean("dirty"), object.string("revision")};
}

std::optional<RecordWriter> read_writer(JsonReader& reader, JsonObject& result) {
  const JsonValue* value = result.member("writer");
  if (value == nullptr) return std::nullopt;
  JsonObject object(reader, *value, result.path_of("writer"), {"host", "pid"});
  return RecordWriter{object.string("host"), static_cast<int>(object.integer("pid", 1, kIntMax))};
}

ActionOutcome read_action(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path,
                    {"kind", "resource", "name", "state", "message", "seconds"}, {"diagnostics"});
  return ActionOutcome{object.string("kind"),
                       object.string("resource"),
                       object.string("name"),
                       object.string("state"),
                       object.string("message"),
                       object.number("seconds"),
                       object.optional_strings("diagnostics").value_or(std::vector<std::string>{})};
}

std::vector<ActionOutcome> read_actions(JsonReader& reader, JsonObject& result) {
  std::vector<ActionOutcome> actions;
  const JsonValue* value = result.member("actions");
  if (value == nullptr) return actions;
  for (const JsonReader::Item& item : reader.items(*value, result.path_of("actions")))
    actions.push_back(read_action(reader, item));
  return actions;
}

TaskOutcome read_task(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path,
                    {"task", "when", "end", "exit_code", "seconds", "message", "output"});
  TaskOutcome task;
  task.task = object.string("task");
  task.when = object.string("when");
  task.end = read_choice(reader, object, "end", task_end_from,
                         "exited, timed-out, interrupted, not-started")
                 .value_or(TaskEnd::kExited);
  std::optional<std::int64_t> code = object.optional_integer("exit_code", 0, 255);
  if (code) task.exit_code = static_cast<int>(*code);
  task.seconds = object.number("seconds");
  task.message = object.string("message");
  task.output = object.optional_strings("output").value_or(std::vector<std::string>{});
  return task;
}

std::vector<TaskOutcome> read_tasks(JsonReader& reader, JsonObject& result) {
  std::vector<TaskOutcome> tasks;
  const JsonValue* value = result.member("tasks");
  if (value == nullptr) return tasks;
  for (const JsonReader::Item& item : reader.items(*value, result.path_of("tasks")))
    tasks.push_back(read_task(reader, item));
  return tasks;
}

RecordResult read_result(JsonReader& reader, const JsonValue& root) {
  JsonObject object(reader, root, "",
                    {"format_version", "number", "environment", "outcome", "kind", "rollback_of",
                     "started_at", "finished_at", "seconds", "source", "summary", "actions"},
                    {"tasks", "writer"});
  object.integer("number", 1, kIntMax);  // for readers of the file: checked, not returned
  object.string("environment");
  RecordResult result;
  result.outcome = read_choice(reader, object, "outcome", outcome_from,
                               "succeeded, failed, interrupted, in-progress")
                       .value_or(Outcome::kSucceeded);
  result.kind = read_choice(reader, object, "kind", record_kind_from,
                            "apply, rollback, destroy, reconcile, task")
                    .value_or(RecordKind::kApply);
  std::optional<std::int64_t> rollback_of = object.optional_integer("rollback_of", 1, kIntMax);
  if (rollback_of) result.rollback_of = static_cast<int>(*rollback_of);
  result.started_at = object.string("started_at");
  result.finished_at = object.string("finished_at");
  result.seconds = object.number("seconds");
  result.source = read_source(reader, object);
  result.summary = object.string("summary");
  result.actions = read_actions(reader, object);
  result.tasks = read_tasks(reader, object);
  result.writer = read_writer(reader, object);
  return result;
}

}  // namespace

std::string result_to_json(const RecordResult& result, int number, const std::string& environment) {
  JsonWriter json;
  json.begin_object();
  json.string_member("format_version", kResultFormatVersion);
  json.integer_member("number", number);
  json.string_member("environment", environment);
  json.string_member("outcome", to_string(result.outcome));
  json.string_member("kind", to_string(result.kind));
  json.key("rollback_of");
  result.rollback_of ? json.integer(*result.rollback_of) : json.null();
  json.string_member("started_at", result.started_at);
  json.string_member("finished_at", result.finished_at);
  json.number_member("seconds", result.seconds);
  write_source(json, result.source);
  json.string_member("summary", result.summary);
  json.key("actions");
  json.begin_array();
  for (const ActionOutcome& action : result.actions) write_action(json, action);
  json.end_array();
  if (!result.tasks.empty()) {
    json.key("tasks");
    json.begin_array();
    for (const TaskOutcome& task : result.tasks) write_task(json, task);
    json.end_array();
  }
  if (result.writer) write_writer(json, *result.writer);
  json.end_object();
  return json.text();
}

Result<RecordResult> result_from_json(std::string_view json, const std::string& what) {
  JsonReader reader(what);
  const JsonValue* root = reader.parse(json);
  if (root == nullptr || !known_format_version(reader, *root, kResultFormatVersion))
    return reader.take_errors();
  RecordResult result = read_result(reader, *root);
  if (reader.failed()) return reader.take_errors();
  return result;
}

}  // namespace run::history
