#include "plan/promotion.h"

namespace run::plan {

namespace {

/// `$` doubled: an overlay's strings are interpolated, and `$$` reads back as `$`.
std::string escape_dollars(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '$' ? std::string("$$") : std::string(1, c);
  return out;
}

std::string field_path(const std::string& service, const PromoteField& field) {
  return "services." + service + "." + field.text();
}

const model::EnvValue* env_value(const model::ServiceSpec& service, const std::string& name) {
  auto it = service.env.find(name);
  return it == service.env.end() ? nullptr : &it->second;
}

/// FROM's and TO's value of one field, or the note that says why it is not promoted.
struct FieldValues {
  std::optional<std::string> promoted;
  std::optional<std::string> current;
  std::string note;
};

FieldValues env_values(const model::ServiceSpec& from, const model::ServiceSpec& to,
                       const PromoteField& field, const model::DesiredState& from_state,
                       const model::DesiredState& to_state) {
  const model::EnvValue* source = env_value(from, field.env_name);
  const model::EnvValue* target = env_value(to, field.env_name);
  std::string where = field_path(from.name, field);
  if (source != nullptr && source->sensitive)
    return {{},
            {},
            where + " is a secret in " + from_state.environment + ": secrets are never promoted"};
  if (target != nullptr && target->sensitive)
    return {{}, {}, where + " is a secret in " + to_state.environment + ": left as it is"};
  if (source == nullptr && target != nullptr)
    return {{},
            {},
            where + " is not set in " + from_state.environment + ": left as it is in " +
                to_state.environment};
  if (source == nullptr) return {};
  return {source->value, target ? std::optional<std::string>(target->value) : std::nullopt, ""};
}

FieldValues field_values(const model::ServiceSpec& from, const model::ServiceSpec& to,
                         const PromoteField& field, const model::DesiredState& from_state,
                         const model::DesiredState& to_state) {
  // A built image's tag is the hash of its inputs: TO builds its own from its own files, and
  // an `image:` written beside its `build:` names only the repository.
  if (field.kind == PromoteField::Kind::kImage && (from.build || to.build))
    return {{},
            {},
            "service '" + from.name +
                "' is built from source: its image follows its files, not "
                "promoted"};
  if (field.kind == PromoteField::Kind::kImage) return {from.image, to.image, ""};
  return env_values(from, to, field, from_state, to_state);
}

std::vector<std::string> overlay_path(const std::string& service, const PromoteField& field) {
  std::vector<std::string> path = {"services", service};
  for (std::string& step : field.path()) path.push_back(std::move(step));
  return path;
}

}  // namespace

Promotion plan_promotion(const model::DesiredState& from, const model::DesiredState& to,
                         const std::vector<PromoteField>& fields) {
  Promotion promotion;
  for (const model::ServiceSpec& source : from.services) {  // sorted by name
    const model::ServiceSpec* target = to.find_service(source.name);
    if (target == nullptr) {
      promotion.notes.push_back("service '" + source.name + "' is only in " + from.environment +
                                ": not promoted");
      continue;
    }
    for (const PromoteField& field : fields) {
      FieldValues values = field_values(source, *target, field, from, to);
      if (!values.note.empty()) promotion.notes.push_back(values.note);
      if (!values.promoted || values.promoted == values.current) continue;
      promotion.edits.push_back(PromotionEdit{source.name, field, overlay_path(source.name, field),
                                              values.current, *values.promoted,
                                              escape_dollars(*values.promoted)});
    }
  }
  return promotion;
}

std::string edit_line(const PromotionEdit& edit) {
  // The image is what a promotion is about most of the time: it goes without its name.
  std::string field = edit.field.kind == PromoteField::Kind::kImage ? "" : edit.field.text() + " ";
  return edit.service + " " + field + edit.current.value_or("(unset)") + " -> " + edit.promoted;
}

}  // namespace run::plan
