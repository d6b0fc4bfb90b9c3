#include "plan/promote_fields.h"

#include <map>

#include "core/did_you_mean.h"

namespace run::plan {

namespace {

constexpr std::string_view kImage = "image";
constexpr std::string_view kEnvPrefix = "env.";

/// What to write instead of a field promote cannot copy.
std::string suggestion_for(std::string_view text) {
  for (std::string_view alias : {"environment.", "environment_", "env_", "ENV."}) {
    if (text.starts_with(alias) && text.size() > alias.size())
      return "did you mean 'env." + std::string(text.substr(alias.size())) + "'?";
  }
  if (text == "env" || text == "env." || text == "environment")
    return "name the variable: env.NAME, e.g. env.LOG_LEVEL";
  std::string hint = did_you_mean(text, {std::string(kImage)});
  return hint.empty() ? "promote copies 'image' and 'env.NAME' (an environment variable)" : hint;
}

}  // namespace

std::string PromoteField::text() const {
  return kind == Kind::kImage ? std::string(kImage) : std::string(kEnvPrefix) + env_name;
}

std::vector<std::string> PromoteField::path() const {
  if (kind == Kind::kImage) return {std::string(kImage)};
  return {"env", env_name};
}

std::optional<PromoteField> parse_promote_field(std::string_view text) {
  if (text == kImage) return PromoteField{};
  if (text.starts_with(kEnvPrefix) && text.size() > kEnvPrefix.size())
    return PromoteField{PromoteField::Kind::kEnv, std::string(text.substr(kEnvPrefix.size()))};
  return std::nullopt;
}

std::vector<PromoteField> promote_fields(const model::Node& merged) {
  const model::Node* list = merged.find("promote");
  if (list == nullptr || list->kind != model::NodeKind::kSequence) return {PromoteField{}};
  std::vector<PromoteField> fields;
  for (const model::Node& item : list->items)
    if (std::optional<PromoteField> field = parse_promote_field(item.text))
      fields.push_back(*field);
  return fields;
}

void check_promote_list(const model::Node& root, Diagnostics& out) {
  const model::Node* list = root.find("promote");
  if (list == nullptr || list->kind != model::NodeKind::kSequence)
    return;  // the schema says what it must be
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const model::Node& item = list->items[i];
    std::string path = "promote[" + std::to_string(i) + "]";
    if (!item.is_scalar()) continue;  // the schema reports it
    if (!parse_promote_field(item.text)) {
      out.push_back(make_error(item.location, path,
                               model::describe_value(item) + " is not a field promote can copy",
                               suggestion_for(item.text)));
      continue;
    }
    auto [seen, inserted] = first_line.emplace(item.text, item.location.line);
    if (!inserted)
      out.push_back(make_error(
          item.location, path, model::describe_value(item) + " is listed twice",
          "it is already listed at line " + std::to_string(seen->second) + "; remove one"));
  }
}

}  // namespace run::plan
