#include "cli/plan_session.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "cli/config_target.h"
#include "config/desired_state_builder.h"
#include "config/digest.h"
#include "core/json_text.h"
#include "docker/http_docker_api.h"
#include "docker/observe.h"
#include "history/history_store.h"
#include "history/recorded_state.h"
#include "model/fingerprint.h"
#include "plan/drift.h"
#include "render/plan_json.h"

namespace run::cli {

namespace {

Result<LastRecord> read_last_record(const std::string& project_directory,
                                    const std::string& environment) {
  Result<history::HistoryStore> store = history::HistoryStore::open(project_directory);
  if (!store) return store.errors();
  Result<std::optional<history::Record>> last = store->last_successful(environment);
  if (!last) return last.errors();
  if (!*last) return LastRecord{};
  const history::Record& record = **last;
  Result<model::DesiredState> state = history::recorded_state(record);
  if (!state) return state.errors();
  return LastRecord{std::move(*state), record.summary.number};
}

Result<PlanSession> connect(PlanSession session) {
  Result<docker::DockerEndpoint> endpoint = docker::DockerEndpoint::from_environment();
  if (!endpoint) return endpoint.errors();
  session.docker = std::make_unique<docker::HttpDockerApi>(std::move(*endpoint));
  return session;
}

/// The last record, read once per session, into `recorded` and `recorded_number`.
Status load_last_record(PlanSession& session) {
  if (session.record_read) return ok_status();
  Result<LastRecord> last =
      read_last_record(session.project_directory, session.desired.environment);
  if (!last) return last.errors();
  session.recorded = std::move(last->state);
  session.recorded_number = last->number;
  session.record_read = true;
  return ok_status();
}

}  // namespace

Result<PlanSession> open_session(const GlobalOptions& global,
                                 const std::optional<std::string>& revision) {
  Result<ConfigTarget> target = resolve_config_target(global, revision);
  if (!target) return target.errors();
  Result<config::LoadedConfig> loaded = config::load_config(*target->files, target->request);
  if (!loaded) return sorted_unique(loaded.errors());
  PlanSession session;
  session.config = std::move(*loaded);
  session.project_directory = target->directory;
  session.desired = config::build_desired_state(session.config);
  return connect(std::move(session));
}

Result<PlanSession> open_session_for_state(const GlobalOptions& global,
                                           model::DesiredState desired) {
  Result<ConfigTarget> target = resolve_config_target(global);
  if (!target) return target.errors();
  PlanSession session;
  session.project_directory = target->directory;
  session.config.environment = desired.environment;
  session.desired = std::move(desired);
  return connect(std::move(session));
}

Status observe_and_plan(PlanSession& session, const plan::PlanOptions& options) {
  Result<model::ObservedState> observed = docker::observe(*session.docker, session.desired);
  if (!observed) return observed.errors();
  session.observed = std::move(*observed);
  session.plan = plan::make_plan(session.desired, session.observed, options);
  // Drift triage says why each action is needed, so a plan without actions is not compared
  // with a record, and libgit2 is never started: its start-up parses the system's whole CA
  // bundle (55 M of a no-op plan's 87 M instructions, and 3.5 MiB; callgrind). Destroy wants
  // nothing: every action would read as a desired change, which says nothing.
  if (!session.plan.has_changes() || options.purpose != plan::PlanPurpose::kConverge)
    return ok_status();
  if (Status loaded = load_last_record(session); !loaded) return loaded.errors();
  if (session.recorded)
    plan::classify_drift(session.plan, session.desired, session.observed, &*session.recorded,
                         *session.recorded_number);
  return ok_status();
}

Result<PlanSession> make_plan_session(const GlobalOptions& global, const plan::PlanOptions& options,
                                      const std::optional<std::string>& revision) {
  Result<PlanSession> session = open_session(global, revision);
  if (!session) return session;
  if (Status planned = observe_and_plan(*session, options); !planned) return planned.errors();
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

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    lines.insert(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::set<std::string> saved_lines(const rapidjson::Document& saved, const char* key) {
  std::set<std::string> lines;
  if (!saved.HasMember(key) || !saved[key].IsArray()) return lines;
  for (const auto& line : saved[key].GetArray())
    if (line.IsString()) lines.insert(line.GetString());
  return lines;
}

bool is_image_line(const std::string& line) { return line.starts_with("image "); }

std::string image_of(const std::string& line) { return line.substr(6, line.find(" id=") - 6); }

/// Whether the lines name any container, network or volume (image lines do not).
bool has_objects(const std::set<std::string>& lines) {
  return std::any_of(lines.begin(), lines.end(),
                     [](const std::string& line) { return !is_image_line(line); });
}

void drop_unshared_images(std::set<std::string>& before, std::set<std::string>& now) {
  std::set<std::string> images_before, images_now;
  for (const std::string& line : before)
    if (is_image_line(line)) images_before.insert(image_of(line));
  for (const std::string& line : now)
    if (is_image_line(line)) images_now.insert(image_of(line));
  auto unshared = [&](const std::string& line) {
    return is_image_line(line) &&
           !(images_before.count(image_of(line)) && images_now.count(image_of(line)));
  };
  std::erase_if(before, unshared);
  std::erase_if(now, unshared);
}

/// "- before" / "+ now" lines for what differs, at most 20.
std::string moved(const std::set<std::string>& before, const std::set<std::string>& now) {
  std::vector<std::string> lines;
  for (const std::string& line : before)
    if (!now.count(line)) lines.push_back("  was: " + line);
  for (const std::string& line : now)
    if (!before.count(line)) lines.push_back("  now: " + line);
  std::string text;
  for (std::size_t i = 0; i < lines.size() && i < 20; ++i) text += "\n" + lines[i];
  if (lines.size() > 20) text += "\n  (" + std::to_string(lines.size() - 20) + " more)";
  return text;
}

}  // namespace

std::string saved_plan_json(const PlanSession& session) {
  std::string desired = model::desired_fingerprint_text(session.desired);
  std::string observed = model::observed_fingerprint_text(session.observed);
  std::string out = "{\n\"saved_plan_version\": \"1\",\n";
  out += "\"project\": " + json_quote(session.desired.project) + ",\n";
  out += "\"environment\": " + json_quote(session.desired.environment) + ",\n";
  out += "\"desired_fingerprint\": " + json_quote(config::sha256_hex(desired)) + ",\n";
  out += "\"observed_fingerprint\": " + json_quote(config::sha256_hex(observed)) + ",\n";
  out += "\"desired_lines\": " + lines_json(desired) + ",\n";
  out += "\"observed_lines\": " + lines_json(observed) + ",\n";
  out += "\"plan\": " + render::plan_json(session.plan) + "}\n";
  return out;
}

Status check_saved_plan(const std::string& saved_json, const std::string& file,
                        const PlanSession& session) {
  rapidjson::Document saved;
  saved.Parse(saved_json.c_str(), saved_json.size());
  if (saved.HasParseError() || !saved.IsObject() || !saved.HasMember("saved_plan_version") ||
      !saved.HasMember("desired_fingerprint") || !saved.HasMember("observed_fingerprint"))
    return make_error(SourceLocation{file, 0, 0}, "", "not a plan saved by 'run plan --out'");
  std::string project =
      saved.HasMember("project") && saved["project"].IsString() ? saved["project"].GetString() : "";
  std::string environment = saved.HasMember("environment") && saved["environment"].IsString()
                                ? saved["environment"].GetString()
                                : "";
  if (project != session.desired.project || environment != session.desired.environment)
    return make_error(SourceLocation{file, 0, 0}, "",
                      "the plan is for " + project + "/" + environment + ", not " +
                          session.desired.project + "/" + session.desired.environment,
                      "pass --env " + environment);
  std::string desired = model::desired_fingerprint_text(session.desired);
  std::string observed = model::observed_fingerprint_text(session.observed);
  std::string problems;
  if (config::sha256_hex(desired) != saved["desired_fingerprint"].GetString())
    problems += "\nthe configuration changed since the plan was made:" +
                moved(saved_lines(saved, "desired_lines"), lines_of(desired));
  if (config::sha256_hex(observed) != saved["observed_fingerprint"].GetString()) {
    std::set<std::string> before = saved_lines(saved, "observed_lines");
    std::set<std::string> now = lines_of(observed);
    // Image ids are recorded for the images the config names: a config that names another
    // image adds a line here without the environment having moved. Compare the rest.
    drop_unshared_images(before, now);
    if (before != now) {
      std::string what = !has_objects(before)
                             ? "the environment was empty when the plan was made and is not now:"
                             : "the environment changed since the plan was made:";
      problems += "\n" + what + moved(before, now);
    }
  }
  if (problems.empty()) return ok_status();
  return make_error(SourceLocation{file, 0, 0}, "",
                    "the saved plan is stale; nothing was applied" + problems,
                    "make a new plan: run plan --out " + file);
}

}  // namespace run::cli
