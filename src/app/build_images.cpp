#include "app/build_images.h"

#include <algorithm>
#include <optional>

#include "core/did_you_mean.h"

namespace run::app {

namespace {

std::vector<std::string> built_service_names(const model::DesiredState& desired) {
  std::vector<std::string> names;
  for (const model::ServiceSpec& spec : desired.services)
    if (spec.build) names.push_back(spec.name);
  return names;
}

std::string listed(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// Why `name` cannot be built: it is no service, or one without a build section; none when it
/// can.
std::optional<Diagnostic> unbuildable(const model::DesiredState& desired, const std::string& name) {
  const model::ServiceSpec* spec = desired.find_service(name);
  if (spec != nullptr && spec->build) return std::nullopt;
  if (spec == nullptr) {
    std::vector<std::string> all;
    for (const model::ServiceSpec& service : desired.services) all.push_back(service.name);
    return usage_error(
        "no service '" + name + "' in " + desired.project + "/" + desired.environment,
        did_you_mean_or_declared(name, all));
  }
  std::vector<std::string> built = built_service_names(desired);
  return usage_error(
      "service '" + name + "' has no build section: its image " + spec->image + " is pulled",
      built.empty() ? "add build: { context: DIR } to build it from source"
                    : "services built from source: " + listed(built));
}

/// The services `names` asks for (none: every built one), checked, in the desired state's order.
Result<std::vector<const model::ServiceSpec*>> selected_services(
    const model::DesiredState& desired, const std::vector<std::string>& names) {
  Diagnostics errors;
  for (const std::string& name : names)
    if (std::optional<Diagnostic> error = unbuildable(desired, name)) errors.push_back(*error);
  if (!errors.empty()) return errors;
  std::vector<const model::ServiceSpec*> selected;
  for (const model::ServiceSpec& spec : desired.services) {
    bool named = names.empty() || std::find(names.begin(), names.end(), spec.name) != names.end();
    if (spec.build && named) selected.push_back(&spec);
  }
  return selected;
}

plan::Action build_action(const model::ServiceSpec& spec, std::string reason) {
  plan::Action action;
  action.kind = plan::ActionKind::kBuild;
  action.resource = plan::ResourceKind::kImage;
  action.service = spec.name;
  action.name = spec.image;
  action.image = spec.image;
  action.reason = std::move(reason);
  return action;
}

}  // namespace

Result<BuildOutcome> build_images(Engine& engine, const Workspace& workspace,
                                  const LoadedEnvironment& loaded, const BuildRequest& request,
                                  apply::ProgressSink& progress, const std::atomic<bool>& stop) {
  Result<std::vector<const model::ServiceSpec*>> selected =
      selected_services(loaded.desired, request.services);
  if (!selected) return selected.errors();
  Result<model::ObservedState> observed = engine.observe(loaded.desired);
  if (!observed) return observed.errors();
  BuildOutcome outcome;
  outcome.plan.project = loaded.desired.project;
  outcome.plan.environment = loaded.desired.environment;
  for (const model::ServiceSpec* spec : *selected) {
    bool present = observed->image_ids.count(spec->image) > 0;
    if (present && !request.no_cache) {
      outcome.up_to_date.push_back(spec->image);
      continue;
    }
    outcome.plan.actions.push_back(build_action(*spec, present ? "--no-cache" : "image missing"));
  }
  if (outcome.plan.actions.empty()) return outcome;
  ExecutionRequest execution{loaded.desired,
                             loaded.project_directory,
                             "",
                             progress,
                             stop,
                             apply::ExecutorOptions{request.parallelism},
                             [&workspace, &loaded](const model::BuildSpec& build) {
                               return workspace.build_context(loaded.project_directory,
                                                              build.context, std::nullopt);
                             },
                             request.no_cache};
  outcome.report = engine.execute(outcome.plan, execution);
  return outcome;
}

}  // namespace run::app
