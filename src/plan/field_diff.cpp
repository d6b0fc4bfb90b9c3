#include "plan/field_diff.h"

#include <set>

namespace run::plan {

namespace {

std::string displayed(const std::string& value) {
  return model::is_sensitive_field(value) ? "(sensitive)" : value;
}

std::optional<std::string> value_at(const model::FieldMap& fields, const std::string& path) {
  auto it = fields.find(path);
  if (it == fields.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> displayed(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  return displayed(*value);
}

}  // namespace

std::vector<FieldChange> diff_fields(const model::FieldMap& before, const model::FieldMap& after) {
  std::set<std::string> paths;
  for (const auto& [path, value] : before) paths.insert(path);
  for (const auto& [path, value] : after) paths.insert(path);
  std::vector<FieldChange> changes;
  for (const std::string& path : paths) {
    std::optional<std::string> old_value = value_at(before, path);
    std::optional<std::string> new_value = value_at(after, path);
    if (old_value == new_value) continue;
    bool sensitive = model::is_sensitive_field(old_value.value_or("")) ||
                     model::is_sensitive_field(new_value.value_or(""));
    changes.push_back(FieldChange{path, displayed(old_value), displayed(new_value), sensitive});
  }
  return changes;
}

}  // namespace run::plan
