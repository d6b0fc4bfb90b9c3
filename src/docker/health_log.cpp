#include "docker/health_log.h"

#include <string>

#include "docker/json_fields.h"

namespace run::docker {

namespace {

std::string trimmed(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  std::size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::vector<model::HealthCheckOutput> health_outputs_of(const rapidjson::Value& state,
                                                        std::size_t count) {
  std::vector<model::HealthCheckOutput> outputs;
  if (!state.IsObject() || !state.HasMember("Health") || !state["Health"].IsObject())
    return outputs;
  const rapidjson::Value& health = state["Health"];
  if (!health.HasMember("Log") || !health["Log"].IsArray()) return outputs;
  for (const rapidjson::Value& entry : health["Log"].GetArray()) {
    if (!entry.IsObject()) continue;
    model::HealthCheckOutput output;
    if (entry.HasMember("ExitCode") && entry["ExitCode"].IsInt())
      output.exit_code = entry["ExitCode"].GetInt();
    output.output = trimmed(string_member(entry, "Output"));
    outputs.push_back(std::move(output));
  }
  if (outputs.size() > count)
    outputs.erase(outputs.begin(), outputs.end() - static_cast<std::ptrdiff_t>(count));
  return outputs;
}

}  // namespace run::docker
