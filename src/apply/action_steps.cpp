#include "apply/action_steps.h"

#include <thread>

#include "apply/failure_diagnostics.h"
#include "docker/container_body.h"
#include "docker/engine_actions.h"
#include "model/names.h"
#include "model/service_fields.h"

namespace run::apply {

namespace {

using plan::Action;
using plan::ActionKind;
using plan::ResourceKind;

constexpr int kDefaultGraceSeconds = 10;
constexpr auto kPollInterval = std::chrono::milliseconds(250);

const model::ServiceSpec& spec_of(const Action& action, const ExecutionContext& context) {
  const model::ServiceSpec* spec = context.desired.find_service(action.service);
  if (spec == nullptr)
    throw std::logic_error("the plan names service '" + action.service + "', which is not desired");
  return *spec;
}

int grace_seconds(const Action& action, const ExecutionContext& context) {
  const model::ServiceSpec* spec = context.desired.find_service(action.service);
  if (spec == nullptr || !spec->stop_grace_period_ms) return kDefaultGraceSeconds;
  return static_cast<int>((*spec->stop_grace_period_ms + 999) / 1000);
}

std::map<std::string, std::string> run_labels(const Action& action, const model::ServiceSpec& spec,
                                              const ExecutionContext& context) {
  return {{model::kLabelProject, context.desired.project},
          {model::kLabelEnvironment, context.desired.environment},
          {model::kLabelService, spec.name},
          {model::kLabelReplica, std::to_string(action.replica)},
          {model::kLabelConfigHash, spec.config_hash},
          {model::kLabelDeployment, context.deployment},
          {model::kLabelSpec, model::field_map_to_json(
                                  model::recreate_fields(spec, model::SecretForm::kFingerprint))}};
}

/// Creates the replica under `name`, joins its extra networks and starts it. On failure the
/// half-made container is removed again, once `diagnostics` has what it showed.
Result<std::string> create_and_start(const Action& action, const std::string& name,
                                     ExecutionContext& context,
                                     std::vector<std::string>& diagnostics) {
  const model::ServiceSpec& spec = spec_of(action, context);
  docker::ContainerPlacement placement{context.desired.project, context.desired.environment,
                                       context.project_directory,
                                       run_labels(action, spec, context)};
  Result<std::string> id =
      docker::create_container(context.api, name, docker::container_create_body(spec, placement));
  if (!id) return id;
  Status started = ok_status();
  for (const std::string& network : spec.networks) {
    started = docker::connect_network(
        context.api,
        model::network_name(context.desired.project, context.desired.environment, network), *id,
        spec.name);
    if (!started) break;
  }
  if (started) started = docker::start_container(context.api, *id);
  if (started) return id;
  diagnostics = diagnostic_lines(gather_failure_diagnostics(context.api, *id, spec));
  // Best effort: the error to report is `started`'s.
  ignore_error(docker::remove_container(context.api, *id));
  return started.errors();
}

Status stop_and_remove(docker::DockerApi& api, const std::string& id, int grace) {
  if (Status stopped = docker::stop_container(api, id, grace); !stopped) return stopped;
  return docker::remove_container(api, id);
}

std::chrono::seconds readiness_timeout(const model::ServiceSpec& spec,
                                       std::chrono::seconds fallback) {
  if (!spec.healthcheck) return fallback;
  const model::HealthCheck& check = *spec.healthcheck;
  std::int64_t interval = check.interval_ms ? check.interval_ms : 30'000;
  std::int64_t timeout = check.timeout_ms ? check.timeout_ms : 30'000;
  std::int64_t retries = check.retries ? check.retries : 3;
  std::int64_t ms = check.start_period_ms + (interval + timeout) * (retries + 1);
  return std::max(fallback, std::chrono::seconds(ms / 1000 + 5));
}

Status replace_stop_first(const Action& action, ExecutionContext& context,
                          std::vector<std::string>& diagnostics) {
  if (Status removed =
          stop_and_remove(context.api, action.existing_id, grace_seconds(action, context));
      !removed)
    return removed;
  Result<std::string> id = create_and_start(action, action.name, context, diagnostics);
  if (!id) return id.errors();
  return ok_status();
}

// The new container runs beside the old under a temporary name until it is ready; only then
// does the old one go and the new one take its name. If the new one never gets ready, it
// is removed and the old one keeps serving.
Status replace_start_first(const Action& action, ExecutionContext& context,
                           std::vector<std::string>& diagnostics) {
  const model::ServiceSpec& spec = spec_of(action, context);
  std::string next_name = action.name + "-next";
  // A leftover of an interrupted replace, if there is one; none is no error.
  ignore_error(docker::remove_container(context.api, next_name));
  Result<std::string> id = create_and_start(action, next_name, context, diagnostics);
  if (!id) return id.errors();
  Status ready = wait_until_ready(context.api, *id, "the new container of " + spec.name,
                                  readiness_timeout(spec, context.options.wait_timeout));
  if (!ready) {
    diagnostics = diagnostic_lines(gather_failure_diagnostics(context.api, *id, spec));
    ignore_error(docker::remove_container(context.api, *id));  // the error to report is `ready`'s
    Diagnostics errors = ready.errors();
    errors.front().message += "; the old container keeps running";
    return errors;
  }
  if (Status removed =
          stop_and_remove(context.api, action.existing_id, grace_seconds(action, context));
      !removed)
    return removed;
  return docker::rename_container(context.api, *id, action.name);
}

Status run_container_action(const Action& action, ExecutionContext& context,
                            std::vector<std::string>& diagnostics) {
  switch (action.kind) {
    case ActionKind::kCreate: {
      Result<std::string> id = create_and_start(action, action.name, context, diagnostics);
      return id ? ok_status() : Status(id.errors());
    }
    case ActionKind::kReplace:
      return spec_of(action, context).update_order == model::UpdateOrder::kStartFirst
                 ? replace_start_first(action, context, diagnostics)
                 : replace_stop_first(action, context, diagnostics);
    case ActionKind::kUpdate:
      return docker::update_container(
          context.api, action.existing_id,
          docker::container_update_body(spec_of(action, context).in_place));
    case ActionKind::kStart:
      return docker::start_container(context.api, action.existing_id);
    case ActionKind::kRemove:
      return stop_and_remove(context.api, action.existing_id, grace_seconds(action, context));
  }
  return ok_status();
}

std::map<std::string, std::string> owner_labels(const ExecutionContext& context) {
  return {{model::kLabelProject, context.desired.project},
          {model::kLabelEnvironment, context.desired.environment}};
}

Status run_network_action(const Action& action, ExecutionContext& context) {
  if (action.kind == ActionKind::kRemove) return docker::remove_network(context.api, action.name);
  bool internal = false;
  std::map<std::string, std::string> labels = owner_labels(context);
  for (const auto& network : context.desired.networks) {
    if (model::network_name(context.desired.project, context.desired.environment, network.name) !=
        action.name)
      continue;
    internal = network.internal;
    for (const auto& [key, value] : network.labels) labels.emplace(key, value);
    labels[model::kLabelResource] = network.name;
  }
  return docker::create_network(context.api, action.name, labels, internal);
}

Status run_volume_action(const Action& action, ExecutionContext& context) {
  if (action.kind == ActionKind::kRemove) return docker::remove_volume(context.api, action.name);
  std::map<std::string, std::string> labels = owner_labels(context);
  for (const auto& volume : context.desired.volumes) {
    if (model::volume_name(context.desired.project, context.desired.environment, volume.name) !=
        action.name)
      continue;
    for (const auto& [key, value] : volume.labels) labels.emplace(key, value);
    labels[model::kLabelResource] = volume.name;
  }
  return docker::create_volume(context.api, action.name, labels);
}

}  // namespace

Status wait_until_ready(docker::DockerApi& api, const std::string& id, const std::string& what,
                        std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    Result<docker::ContainerStatus> status = docker::container_status(api, id);
    if (!status) return status.errors();
    if (status->health == "healthy" || (status->health.empty() && status->state == "running"))
      return ok_status();
    if (status->health == "unhealthy")
      return make_error(SourceLocation{}, "", what + " is unhealthy");
    if (status->state == "exited" || status->state == "dead")
      return make_error(SourceLocation{}, "",
                        what + " exited (code " + std::to_string(status->exit_code) + ")");
    if (std::chrono::steady_clock::now() > deadline)
      return make_error(SourceLocation{}, "",
                        what + " was not ready within " + std::to_string(timeout.count()) + " s");
    std::this_thread::sleep_for(kPollInterval);
  }
}

Status run_action(const Action& action, ExecutionContext& context,
                  std::vector<std::string>& diagnostics) {
  switch (action.resource) {
    case ResourceKind::kContainer:
      return run_container_action(action, context, diagnostics);
    case ResourceKind::kNetwork:
      return run_network_action(action, context);
    case ResourceKind::kVolume:
      return run_volume_action(action, context);
  }
  return ok_status();
}

}  // namespace run::apply
