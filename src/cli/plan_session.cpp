#include "cli/plan_session.h"

#include "cli/config_target.h"
#include "config/desired_state_builder.h"
#include "config/digest.h"
#include "core/json_text.h"
#include "docker/curl_docker_api.h"
#include "docker/observe.h"
#include "model/fingerprint.h"
#include "render/plan_json.h"

namespace run::cli {

Result<PlanSession> make_plan_session(const GlobalOptions& global, const plan::PlanOptions& options) {
  Result<ConfigTarget> target = resolve_config_target(global);
  if (!target) return target.errors();
  Result<config::LoadedConfig> loaded = config::load_config(*target->files, target->request);
  if (!loaded) return sorted_unique(loaded.errors());
  Result<docker::DockerEndpoint> endpoint = docker::DockerEndpoint::from_environment();
  if (!endpoint) return endpoint.errors();
  PlanSession session;
  session.config = std::move(*loaded);
  session.desired = config::build_desired_state(session.config);
  session.docker = std::make_unique<docker::CurlDockerApi>(std::move(*endpoint));
  Result<model::ObservedState> observed = docker::observe(*session.docker, session.desired);
  if (!observed) return observed.errors();
  session.observed = std::move(*observed);
  session.plan = plan::make_plan(session.desired, session.observed, options);
  return session;
}

namespace {
std::string lines_json(const std::string& text) {
  std::string out = "[";
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    out += (out.size() > 1 ? ", " : "") + json_quote(text.substr(start, end - start));
    start = end + 1;
  }
  return out + "]";
}
}  // namespace

std::string saved_plan_json(const PlanSession& session) {
  std::string desired = model::desired_fingerprint_text(session.desired);
  std::string observed = model::observed_fingerprint_text(session.observed);
  std::string out = "{\n\"saved_plan_version\": \"1\",\n";
  out += "\"desired_fingerprint\": " + json_quote(config::sha256_hex(desired)) + ",\n";
  out += "\"observed_fingerprint\": " + json_quote(config::sha256_hex(observed)) + ",\n";
  out += "\"desired_lines\": " + lines_json(desired) + ",\n";
  out += "\"observed_lines\": " + lines_json(observed) + ",\n";
  out += "\"plan\": " + render::plan_json(session.plan) + "}\n";
  return out;
}

}  // namespace run::cli
