#include "docker/json_fields.h"

#include "core/json_text.h"

namespace run::docker {

std::string string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

const rapidjson::Value* member_of(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::int64_t integer_member(const rapidjson::Value& object, const char* name,
                            std::int64_t fallback) {
  const rapidjson::Value* value = member_of(object, name);
  return value && value->IsInt64() ? value->GetInt64() : fallback;
}

std::map<std::string, std::string> string_map_member(const rapidjson::Value& object,
                                                     const char* name) {
  std::map<std::string, std::string> values;
  const rapidjson::Value* map = member_of(object, name);
  if (map == nullptr || !map->IsObject()) return values;
  for (const auto& entry : map->GetObject())
    if (entry.value.IsString()) values[entry.name.GetString()] = entry.value.GetString();
  return values;
}

std::vector<std::string> strings_member(const rapidjson::Value& object, const char* name) {
  std::vector<std::string> items;
  const rapidjson::Value* list = member_of(object, name);
  if (list == nullptr || !list->IsArray()) return items;
  for (const rapidjson::Value& item : list->GetArray())
    if (item.IsString()) items.push_back(item.GetString());
  return items;
}

std::string json_string_map(const std::map<std::string, std::string>& values) {
  std::string out = "{";
  for (const auto& [key, value] : values)
    out += (out.size() > 1 ? "," : "") + json_quote(key) + ":" + json_quote(value);
  return out + "}";
}

std::string json_string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + json_quote(items[i]);
  return out + "]";
}

}  // namespace run::docker
