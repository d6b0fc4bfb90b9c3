#include "docker/json_fields.h"

#include "core/json_text.h"

namespace run::docker {

std::string string_member(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
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
