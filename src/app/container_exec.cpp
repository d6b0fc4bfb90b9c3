#include "app/container_exec.h"

#include <algorithm>
#include <charconv>

#include "app/swarm_refusal.h"
#include "core/did_you_mean.h"
#include "model/names.h"

namespace run::app {

namespace {

struct Replica {
  int number = 0;
  std::string container_id;
  bool running = false;
};

std::string environment_name(const model::DesiredState& desired) {
  return desired.project + "/" + desired.environment;
}

std::vector<std::string> declared_names(const model::DesiredState& desired) {
  std::vector<std::string> names;
  for (const model::ServiceSpec& spec : desired.services) names.push_back(spec.name);
  return names;
}

/// The containers of `service_name` in `observed`, by replica, running ones first within one.
std::vector<Replica> replicas_of(const model::ObservedState& observed,
                                 const std::string& service_name) {
  std::vector<Replica> replicas;
  for (const model::ObservedContainer& container : observed.containers) {
    if (container.label(model::kLabelService) != service_name) continue;
    replicas.push_back({container.replica().value_or(0), container.id, container.running()});
  }
  std::sort(replicas.begin(), replicas.end(), [](const Replica& a, const Replica& b) {
    return std::tie(a.number, b.running, a.container_id) <
           std::tie(b.number, a.running, b.container_id);
  });
  return replicas;
}

const Replica* first_running(const std::vector<Replica>& replicas, std::optional<int> number) {
  auto found = std::find_if(replicas.begin(), replicas.end(), [&](const Replica& replica) {
    return replica.running && (!number || replica.number == *number);
  });
  return found == replicas.end() ? nullptr : &*found;
}

bool has_replica(const std::vector<Replica>& replicas, int number) {
  return std::any_of(replicas.begin(), replicas.end(),
                     [&](const Replica& replica) { return replica.number == number; });
}

/// "1, 2": the running replicas' numbers, for a hint.
std::string running_numbers(const std::vector<Replica>& replicas) {
  std::string numbers;
  for (const Replica& replica : replicas) {
    if (!replica.running) continue;
    if (!numbers.empty()) numbers += ", ";
    numbers += std::to_string(replica.number);
  }
  return numbers;
}

Diagnostic missing_replica(const model::DesiredState& desired, const ExecRequest& request,
                           const std::vector<Replica>& replicas) {
  std::string replica =
      "replica " + std::to_string(*request.replica) + " of service '" + request.service_name + "'";
  std::string hint = "running replicas: " + running_numbers(replicas);
  if (!has_replica(replicas, *request.replica))
    return usage_error("service '" + request.service_name + "' has no replica " +
                           std::to_string(*request.replica) + " in " + environment_name(desired),
                       hint);
  return usage_error(replica + " is not running in " + environment_name(desired), hint);
}

}  // namespace

Result<ExecTarget> choose_exec_target(const model::DesiredState& desired,
                                      const model::ObservedState& observed,
                                      const ExecRequest& request) {
  if (request.command.empty())
    return usage_error(
        "no command to run in service '" + request.service_name + "'",
        "give the command after --: run exec " + request.service_name + " -- sh -c 'echo hello'");
  if (!desired.find_service(request.service_name))
    return usage_error("no service '" + request.service_name + "' in " + environment_name(desired),
                       did_you_mean_or_declared(request.service_name, declared_names(desired)));
  std::vector<Replica> replicas = replicas_of(observed, request.service_name);
  if (!first_running(replicas, std::nullopt))
    return usage_error("service '" + request.service_name + "' has no running replica in " +
                           environment_name(desired),
                       "run apply first");
  const Replica* chosen = first_running(replicas, request.replica);
  if (!chosen) return missing_replica(desired, request, replicas);
  return ExecTarget{request.service_name, chosen->number, chosen->container_id};
}

Result<int> exec_in_service(Engine& engine, const model::DesiredState& desired,
                            const ExecRequest& request, const docker::OutputSink& on_output,
                            const std::atomic<bool>& stop) {
  if (Status local = refuse_on_swarm(desired, "exec",
                                     "'docker exec' on the node that runs the task ('docker "
                                     "service ps PROJECT-ENV-SERVICE' names it)");
      !local)
    return local.errors();
  Result<model::ObservedState> observed = engine.observe(desired);
  if (!observed) return observed.errors();
  Result<ExecTarget> target = choose_exec_target(desired, *observed, request);
  if (!target) return target.errors();
  return engine.exec(target->container_id, request.command, on_output, stop);
}

}  // namespace run::app
