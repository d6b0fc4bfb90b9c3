#include "config/explain.h"

#include "core/did_you_mean.h"

namespace run::config {

namespace {

using model::Node;
using Steps = std::vector<std::string>;

/// The step one layer contributes: the value it sets at `steps`, or the null with which it
/// removes the value or one of its parents. None when the layer does not mention it.
std::optional<model::LayerStep> layer_step(const Layer& layer, const Steps& steps,
                                           bool is_overlay) {
  const Node* node = &layer.document;
  for (const std::string& step : steps) {
    node = model::lookup(*node, Steps{step});
    if (node == nullptr) return std::nullopt;
    if (node->kind == model::NodeKind::kNull && is_overlay)
      return model::LayerStep{layer.file, model::LayerEffect::kRemoves, *node};
  }
  return model::LayerStep{layer.file, model::LayerEffect::kSets, *node};
}

/// "did you mean ...?" for the first step that does not exist in the merged document.
std::string suggest(const Node& merged, const Steps& steps) {
  const Node* node = &merged;
  for (const std::string& step : steps) {
    const Node* next = model::lookup(*node, Steps{step});
    if (next == nullptr) return node->is_map() ? did_you_mean(step, node->keys()) : std::string();
    node = next;
  }
  return {};
}

}  // namespace

Result<model::Explanation> explain_value(const LoadedConfig& config, const std::string& path) {
  std::optional<Steps> steps = model::parse_path(path);
  if (!steps) {
    return make_error(
        SourceLocation{}, "", "invalid path '" + path + "'",
        "write keys separated by dots, e.g. services.worker.replicas or services.app.ports[0]");
  }
  model::Explanation explanation;
  explanation.path = model::join_path(*steps);
  explanation.environment = config.environment;
  for (std::size_t i = 0; i < config.layers.size(); ++i) {
    if (auto step = layer_step(config.layers[i], *steps, i > 0))
      explanation.chain.push_back(std::move(*step));
  }
  if (const Node* final_value = model::lookup(config.merged, *steps))
    explanation.final_value = *final_value;
  if (explanation.chain.empty()) {
    std::string hint = suggest(config.merged, *steps);
    return make_error(
        SourceLocation{}, explanation.path,
        "no file of environment '" + config.environment + "' sets " + explanation.path, hint);
  }
  return explanation;
}

}  // namespace run::config
