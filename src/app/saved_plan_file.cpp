#include "app/saved_plan_file.h"

#include <rapidjson/document.h>

#include "config/digest.h"
#include "core/json_text.h"
#include "model/fingerprint.h"
#include "render/plan_json.h"

namespace run::app {

namespace {

std::string lines_json(const std::string& text) {
  std::string out = "[";
  for (const std::string& line : plan::fingerprint_lines_in_order(text))
    out += (out.size() > 1 ? ", " : "") + json_quote(line);
  return out + "]";
}

std::string string_member(const rapidjson::Document& json, const char* key) {
  return json.HasMember(key) && json[key].IsString() ? json[key].GetString() : "";
}

std::set<std::string> saved_lines(const rapidjson::Document& json, const char* key) {
  std::set<std::string> lines;
  if (!json.HasMember(key) || !json[key].IsArray()) return lines;
  for (const auto& line : json[key].GetArray())
    if (line.IsString()) lines.insert(line.GetString());
  return lines;
}

bool is_saved_plan(const rapidjson::Document& json) {
  return !json.HasParseError() && json.IsObject() && json.HasMember("saved_plan_version") &&
         json.HasMember("desired_fingerprint") && json["desired_fingerprint"].IsString() &&
         json.HasMember("observed_fingerprint") && json["observed_fingerprint"].IsString();
}

}  // namespace

std::string saved_plan_json(const EnvironmentPlan& planned) {
  std::string desired = model::desired_fingerprint_text(planned.desired);
  std::string observed = model::observed_fingerprint_text(planned.observed);
  std::string out = "{\n\"saved_plan_version\": \"1\",\n";
  out += "\"project\": " + json_quote(planned.desired.project) + ",\n";
  out += "\"environment\": " + json_quote(planned.desired.environment) + ",\n";
  out += "\"desired_fingerprint\": " + json_quote(config::sha256_hex(desired)) + ",\n";
  out += "\"observed_fingerprint\": " + json_quote(config::sha256_hex(observed)) + ",\n";
  out += "\"desired_lines\": " + lines_json(desired) + ",\n";
  out += "\"observed_lines\": " + lines_json(observed) + ",\n";
  out += "\"plan\": " + render::plan_json(planned.plan) + "}\n";
  return out;
}

plan::PlanFingerprints fingerprints_of(const model::DesiredState& desired,
                                       const model::ObservedState& observed) {
  std::string desired_text = model::desired_fingerprint_text(desired);
  std::string observed_text = model::observed_fingerprint_text(observed);
  return {desired.project,
          desired.environment,
          config::sha256_hex(desired_text),
          config::sha256_hex(observed_text),
          plan::fingerprint_lines(desired_text),
          plan::fingerprint_lines(observed_text)};
}

Result<plan::PlanFingerprints> read_saved_plan(const SavedPlanFile& file) {
  rapidjson::Document json;
  json.Parse(file.text.c_str(), file.text.size());
  if (!is_saved_plan(json))
    return make_error(SourceLocation{file.path, 0, 0}, "", "not a plan saved by 'run plan --out'");
  return plan::PlanFingerprints{string_member(json, "project"),
                                string_member(json, "environment"),
                                string_member(json, "desired_fingerprint"),
                                string_member(json, "observed_fingerprint"),
                                saved_lines(json, "desired_lines"),
                                saved_lines(json, "observed_lines")};
}

}  // namespace run::app
