#include "history/record.h"

#include <array>
#include <utility>

namespace run::history {

namespace {

// One table per enum, so the text written and the text read can never disagree.
constexpr std::array<std::pair<Outcome, std::string_view>, 4> kOutcomeNames{{
    {Outcome::kSucceeded, "succeeded"},
    {Outcome::kFailed, "failed"},
    {Outcome::kInterrupted, "interrupted"},
    {Outcome::kInProgress, "in-progress"},
}};

constexpr std::array<std::pair<RecordKind, std::string_view>, 5> kRecordKindNames{{
    {RecordKind::kApply, "apply"},
    {RecordKind::kRollback, "rollback"},
    {RecordKind::kDestroy, "destroy"},
    {RecordKind::kReconcile, "reconcile"},
    {RecordKind::kTask, "task"},
}};

constexpr std::array<std::pair<TaskEnd, std::string_view>, 4> kTaskEndNames{{
    {TaskEnd::kExited, "exited"},
    {TaskEnd::kTimedOut, "timed-out"},
    {TaskEnd::kInterrupted, "interrupted"},
    {TaskEnd::kNotStarted, "not-started"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                         Enum value) {
  for (const auto& [candidate, name] : names)
    if (candidate == value) return name;
  return names.front().second;  // unreachable: every enumerator is in its table
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                             std::string_view text) {
  for (const auto& [value, name] : names)
    if (name == text) return value;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Outcome outcome) { return name_of(kOutcomeNames, outcome); }
std::string_view to_string(RecordKind kind) { return name_of(kRecordKindNames, kind); }
std::optional<Outcome> outcome_from(std::string_view text) { return value_of(kOutcomeNames, text); }
std::optional<RecordKind> record_kind_from(std::string_view text) {
  return value_of(kRecordKindNames, text);
}

std::string_view to_string(TaskEnd end) { return name_of(kTaskEndNames, end); }
std::optional<TaskEnd> task_end_from(std::string_view text) {
  return value_of(kTaskEndNames, text);
}

bool is_deployment(RecordKind kind) { return kind != RecordKind::kTask; }

std::string record_name(const RecordSummary& summary) {
  return "record #" + std::to_string(summary.number) + " of " + summary.environment;
}

}  // namespace run::history
