#include "history/recorded_state.h"

#include "history/state_json.h"

namespace run::history {

Result<model::DesiredState> recorded_state(const Record& record) {
  return state_from_json(record.state_json, record_name(record.summary) + ": state.json");
}

Result<model::DesiredState> restored_state(const Record& record,
                                           const config::InterpolationScope& scope) {
  Result<model::DesiredState> state = recorded_state(record);
  if (!state) return state;
  if (Status resolved = resolve_secrets(*state, scope); !resolved) return resolved.errors();
  return state;
}

}  // namespace run::history
