// The planner without Docker: how long make_plan and the plan's text take for N services,
// and how much memory planning adds, so that the cost can be seen to grow linearly.
//
//   plan_bench [--repeat R] [N...]        (default: 1000 2000 5000 10000, R = 5)
//
// For each N, a child process builds N services' desired state and an observed state in
// which every service runs one container made from its current spec (labels, run.spec,
// config hash, image id, as apply would have left them), except every 100th (1%), whose
// container carries an older env value and so is replaced. It then times make_plan,
// plan::to_text (the canonical text) and render::plan_text (what `run plan` prints), R
// times each, and reports the medians and the peak memory that planning added. A child per
// N keeps one size's memory out of the next one's figure. Prints a markdown table.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "config/desired_state_builder.h"
#include "model/names.h"
#include "model/service_fields.h"
#include "plan/planner.h"
#include "render/plan_text.h"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kImage = "run-demo/busybox:latest";
constexpr const char* kImageId =
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr int kChangedEvery = 100;  // 1% of the services changed

/// "s00042": zero-padded, so that the name order (the order DesiredState keeps) is the
/// numeric order.
std::string service_name(int index) {
  char name[16];
  std::snprintf(name, sizeof name, "s%05d", index);
  return name;
}

run::model::EnvValue plain_value(std::string text) {
  run::model::EnvValue value;
  value.value = std::move(text);
  return value;
}

/// A service like the ones a real project has: a command, a few env values, labels, a
/// health check, a memory limit, and a dependency on its predecessor in chains of ten.
run::model::ServiceSpec service_spec(int index) {
  run::model::ServiceSpec spec;
  spec.name = service_name(index);
  spec.image = kImage;
  spec.command = std::vector<std::string>{"sleep", "100000"};
  spec.env = {{"LOG_LEVEL", plain_value("info")},
              {"SERVICE_INDEX", plain_value(std::to_string(index))},
              {"VERSION", plain_value("1")}};
  spec.labels = {{"team", "bench"}, {"tier", index % 2 ? "worker" : "api"}};
  spec.healthcheck = run::model::HealthCheck{{"CMD", "true"}, 5000, 1000, 0, 3};
  spec.init = true;
  spec.in_place.memory_bytes = 64 << 20;
  if (index % 10 != 0)
    spec.depends_on.push_back({service_name(index - 1), run::model::DependencyCondition::kStarted});
  spec.config_hash = run::config::service_config_hash(spec);
  return spec;
}

run::model::DesiredState desired_state(int service_count) {
  run::model::DesiredState desired;
  desired.project = "bench";
  desired.environment = "load";
  desired.networks.push_back({run::model::kDefaultNetwork, false, {}});
  desired.services.reserve(service_count);
  for (int index = 0; index < service_count; ++index)
    desired.services.push_back(service_spec(index));
  return desired;
}

/// The container apply would have made for `spec`; `stale` makes it the previous version.
run::model::ObservedContainer container_for(const run::model::DesiredState& desired,
                                            run::model::ServiceSpec spec, bool stale) {
  if (stale) {
    spec.env["VERSION"] = plain_value("0");
    spec.config_hash = run::config::service_config_hash(spec);
  }
  run::model::ObservedContainer container;
  container.name = run::model::container_name(desired.project, desired.environment, spec.name, 1);
  container.id = "id-" + container.name;
  container.image = spec.image;
  container.image_id = kImageId;
  container.state = "running";
  container.health = "healthy";
  container.labels = {
      {run::model::kLabelProject, desired.project},
      {run::model::kLabelEnvironment, desired.environment},
      {run::model::kLabelService, spec.name},
      {run::model::kLabelReplica, "1"},
      {run::model::kLabelConfigHash, spec.config_hash},
      {run::model::kLabelSpec, run::model::field_map_to_json(run::model::recreate_fields(
                                   spec, run::model::SecretForm::kFingerprint))}};
  container.memory_bytes = spec.in_place.memory_bytes;
  container.restart = spec.in_place.restart;
  return container;
}

run::model::ObservedState observed_state(const run::model::DesiredState& desired) {
  run::model::ObservedState observed;
  observed.image_ids[kImage] = kImageId;
  observed.networks.push_back(
      {"net-bench-load",
       run::model::network_name(desired.project, desired.environment, run::model::kDefaultNetwork),
       {{run::model::kLabelProject, desired.project}}});
  observed.containers.reserve(desired.services.size());
  for (std::size_t index = 0; index < desired.services.size(); ++index)
    observed.containers.push_back(container_for(desired, desired.services[index],
                                                index % kChangedEvery == kChangedEvery - 1));
  return observed;
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/// The median wall time of `repeat` calls of `work`, in milliseconds.
double median_ms(int repeat, const std::function<void()>& work) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    auto start = Clock::now();
    work();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// One size, measured in this process: prints its table row. Returns false when the plan is
/// not the one expected (1% replaced, nothing else), so a broken planner cannot look fast.
bool measure(int service_count, int repeat) {
  run::model::DesiredState desired = desired_state(service_count);
  run::model::ObservedState observed = observed_state(desired);
  long states_kib = peak_rss_kib();
  run::plan::Plan plan;
  std::size_t text_bytes = 0;
  double plan_ms = median_ms(repeat, [&] { plan = run::plan::make_plan(desired, observed); });
  double canonical_ms = median_ms(repeat, [&] { text_bytes = run::plan::to_text(plan).size(); });
  double render_ms = median_ms(repeat, [&] { text_bytes = run::render::plan_text(plan).size(); });
  long peak_kib = peak_rss_kib();
  int expected_replaces = service_count / kChangedEvery;
  if (plan.summary().replace != expected_replaces || plan.summary().total() != expected_replaces) {
    std::fprintf(
        stderr,
        "plan_bench: %d services planned %d actions, %d replaces; expected %d replaces only\n",
        service_count, plan.summary().total(), plan.summary().replace, expected_replaces);
    return false;
  }
  std::printf("| %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %zu |\n", service_count,
              expected_replaces, plan_ms, canonical_ms, render_ms,
              (plan_ms + render_ms) * 1000.0 / service_count, states_kib / 1024.0,
              (peak_kib - states_kib) / 1024.0, peak_kib / 1024.0, text_bytes);
  std::fflush(stdout);
  return true;
}

/// Runs measure() in a child, so that each size starts from a fresh heap.
bool measure_in_child(int service_count, int repeat) {
  std::fflush(stdout);
  pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) std::_Exit(measure(service_count, repeat) ? 0 : 1);
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: plan_bench [--repeat R] [N...]   (N services per size; default 1000 2000 "
               "5000 10000, R 5)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
      continue;
    }
    int size = std::atoi(argument.c_str());
    if (size < kChangedEvery) return usage();
    sizes.push_back(size);
  }
  if (repeat < 1) return usage();
  if (sizes.empty()) sizes = {1000, 2000, 5000, 10000};
  std::printf(
      "| services | replaced (1%%) | make_plan ms | to_text ms | plan_text ms | µs per service "
      "(plan + plan_text) "
      "| states MiB | planning adds MiB | peak RSS MiB | text bytes |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  bool all_ok = true;
  for (int size : sizes) all_ok = measure_in_child(size, repeat) && all_ok;
  return all_ok ? 0 : 1;
}
