#include "render/explanation_render.h"

#include <algorithm>

#include "core/json_text.h"
#include "render/document_json.h"
#include "render/document_yaml.h"

namespace run::render {

namespace {

using model::LayerEffect;
using model::Node;

/// What a layer wrote, as written: interpolation has not run on layers.
std::string written(const model::LayerStep& step) {
  if (step.effect == LayerEffect::kRemoves) return "null (removes it)";
  return flow_text(step.value, 60);
}

}  // namespace

std::string explanation_text(const model::Explanation& explanation) {
  std::string out = explanation.path + " (environment " + explanation.environment + ") = ";
  out +=
      explanation.final_value ? flow_text(*explanation.final_value, 200) : std::string("(not set)");
  out += "\n\n";
  std::size_t width = 0;
  for (const auto& step : explanation.chain)
    width = std::max(width, step.value.location.to_string().size());
  for (std::size_t i = 0; i < explanation.chain.size(); ++i) {
    const auto& step = explanation.chain[i];
    std::string where = step.value.location.known() ? step.value.location.to_string() : step.file;
    out +=
        "  " + where + std::string(width + 2 - std::min(width, where.size()), ' ') + written(step);
    bool last = i + 1 == explanation.chain.size();
    bool merged = step.value.is_map() && explanation.chain[i + (last ? 0 : 1)].value.is_map();
    out += last ? "\n" : merged ? "   (merged with the next)\n" : "   (overridden)\n";
  }
  const auto& last = explanation.chain.back();
  if (explanation.final_value && last.effect == LayerEffect::kSets &&
      explanation.final_value->is_scalar() &&
      (last.value.text != explanation.final_value->text || explanation.final_value->sensitive)) {
    out += "  " + std::string("after interpolation") +
           std::string(width + 2 - std::min(width, std::size_t{19}), ' ') +
           yaml_scalar(*explanation.final_value) + "\n";
  }
  return out;
}

std::string explanation_json(const model::Explanation& explanation) {
  std::string out = "{\n  \"path\": " + json_quote(explanation.path) + ",\n";
  out += "  \"environment\": " + json_quote(explanation.environment) + ",\n";
  out += "  \"value\": " +
         (explanation.final_value ? render_json_compact(*explanation.final_value)
                                  : std::string("null")) +
         ",\n";
  out += "  \"set\": " + std::string(explanation.final_value ? "true" : "false") + ",\n";
  out += "  \"chain\": [";
  for (std::size_t i = 0; i < explanation.chain.size(); ++i) {
    const auto& step = explanation.chain[i];
    out += i == 0 ? "\n" : ",\n";
    out += "    {\"file\": " + json_quote(step.file) +
           ", \"line\": " + std::to_string(step.value.location.line) +
           ", \"column\": " + std::to_string(step.value.location.column) +
           ", \"effect\": " + json_quote(step.effect == LayerEffect::kSets ? "set" : "remove") +
           ", \"value\": " + render_json_compact(step.value) + "}";
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace run::render
