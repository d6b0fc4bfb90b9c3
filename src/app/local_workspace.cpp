#include "app/local_workspace.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "app/docker_engine.h"
#include "app/swarm_engine.h"
#include "build/filesystem_context.h"
#include "build/git_context.h"
#include "config/local_files_source.h"
#include "docker/engine_selection.h"
#include "docker/http_docker_api.h"
#include "history/history_store.h"
#include "process/fetch_child.h"

extern char** environ;

namespace run::app {

namespace {

namespace fs = std::filesystem;

config::VariableMap process_environment() {
  config::VariableMap variables;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text = *entry;
    std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    variables[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
  }
  return variables;
}

std::string getenv_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

/// run-config.yaml here or in a parent, stopping at the git root (a directory holding .git).
std::optional<fs::path> find_upwards(const fs::path& start) {
  std::error_code error;
  for (fs::path directory = start; !directory.empty(); directory = directory.parent_path()) {
    if (fs::exists(directory / config::kConfigFileName, error))
      return directory / config::kConfigFileName;
    if (fs::exists(directory / ".git", error) || directory == directory.parent_path()) break;
  }
  return std::nullopt;
}

/// The prefix that makes a path relative to the config's directory readable from here.
std::string display_prefix(const fs::path& config_directory, const fs::path& current) {
  std::error_code error;
  fs::path relative = fs::relative(config_directory, current, error);
  if (error || relative.empty() || relative == ".") return "";
  return relative.string() + "/";
}

/// Reads the configuration from `revision` instead of the working tree; the local files
/// stay where they are, and messages name the committed files as `REV:path`.
Status read_from_revision(ConfigTarget& target, const std::string& revision) {
  Result<std::unique_ptr<history::GitTreeSource>> tree =
      history::open_revision_source(target.directory, revision);
  if (!tree) return std::move(tree).take_errors();
  const std::string& root_path = (*tree)->root_path();
  target.revision = (*tree)->revision();
  target.request.local_display_prefix = target.request.display_prefix;
  target.request.display_prefix = revision + ":" + (root_path.empty() ? "" : root_path + "/");
  target.files =
      std::make_unique<config::LocalFilesSource>(std::move(*tree), std::move(target.files));
  return ok_status();
}

/// Whether `path` is `root` or below it (both canonical).
bool is_within(const fs::path& path, const fs::path& root) {
  auto [root_end, path_it] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

Result<std::unique_ptr<build::ContextTree>> working_tree_context(
    const std::string& project_directory, const std::string& context) {
  std::error_code error;
  fs::path written = fs::path(project_directory) / context;
  fs::path resolved = fs::canonical(written, error);
  if (error)
    return usage_error("build context " + context + " does not exist (" +
                       written.lexically_normal().string() + ")");
  if (!fs::is_directory(resolved, error))
    return usage_error("build context " + context + " is not a directory");
  fs::path project = fs::canonical(project_directory, error);
  if (error || !is_within(resolved, project))
    return usage_error("build context " + context + " leads outside the project, to " +
                       resolved.string());
  return std::unique_ptr<build::ContextTree>(
      std::make_unique<build::FilesystemContext>(resolved.string()));
}

/// The context as committed: its path inside the repository is the project's path there
/// and the context's, as written.
Result<std::unique_ptr<build::ContextTree>> committed_context(const std::string& project_directory,
                                                              const std::string& context,
                                                              const std::string& revision) {
  Result<std::unique_ptr<history::GitTreeSource>> project =
      history::open_revision_source(project_directory, revision);
  if (!project) return project.errors();
  fs::path inside = (fs::path((*project)->root_path()) / context).lexically_normal();
  std::string path = inside.string();
  if (path == "." || path == "./") path.clear();
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.starts_with(".."))
    return usage_error("build context " + context + " leads outside the repository");
  Result<std::unique_ptr<build::GitContextTree>> tree =
      build::open_git_context(project_directory, (*project)->revision().commit_id, path);
  if (!tree) return tree.errors();
  return std::unique_ptr<build::ContextTree>(std::move(*tree));
}

std::optional<std::string> flag_or_variable(std::optional<std::string> flag, const char* name) {
  if (flag && !flag->empty()) return flag;
  std::string value = getenv_or_empty(name);
  if (value.empty()) return std::nullopt;
  return value;
}

}  // namespace

LocalWorkspace::LocalWorkspace(std::string config_file, std::optional<std::string> environment)
    : config_file_(flag_or_variable(std::move(config_file), "RUN_CONFIG").value_or("")),
      environment_(flag_or_variable(std::move(environment), "RUN_ENV")),
      process_environment_(process_environment()) {}

Result<Target> LocalWorkspace::target() const {
  fs::path current = fs::current_path();
  fs::path config_path;
  if (!config_file_.empty()) {
    config_path = fs::path(config_file_);
  } else if (auto found = find_upwards(current)) {
    config_path = *found;
  } else {
    return make_error(SourceLocation{}, "",
                      "no run-config.yaml in " + current.string() + " or its parents",
                      "run from the project's directory, or pass -f FILE (or set RUN_CONFIG)");
  }
  fs::path absolute = config_path.is_absolute() ? config_path : current / config_path;
  fs::path directory = absolute.parent_path().lexically_normal();
  return Target{directory.string(), absolute.filename().string(),
                display_prefix(directory, current), environment_};
}

Result<ConfigTarget> LocalWorkspace::config(const Target& target,
                                            const std::optional<std::string>& revision) const {
  ConfigTarget config;
  config.files = std::make_unique<config::FilesystemSource>(target.directory);
  config.directory = target.directory;
  config.request.config_file = target.config_file;
  config.request.display_prefix = target.display_prefix;
  config.request.environment = target.environment;
  config.request.process_environment = process_environment_;
  if (revision) {
    if (Status read = read_from_revision(config, *revision); !read) return read.errors();
  }
  return config;
}

Result<std::unique_ptr<history::RecordStore>> LocalWorkspace::history(
    const std::string& project_directory, history::StoreAccess access) const {
  Result<history::HistoryStore> store = history::HistoryStore::open(project_directory, access);
  if (!store) return store.errors();
  return std::unique_ptr<history::RecordStore>(
      std::make_unique<history::HistoryStore>(std::move(*store)));
}

Result<std::unique_ptr<Engine>> LocalWorkspace::engine(const std::optional<model::EngineSpec>& spec,
                                                       model::DeployTarget target,
                                                       const std::string& project_directory) const {
  Result<docker::EngineSurroundings> surroundings = docker::process_surroundings();
  if (!surroundings) return surroundings.errors();
  Result<docker::DockerEndpoint> endpoint =
      docker::choose_endpoint(spec, project_directory, *surroundings);
  if (!endpoint) return endpoint.errors();
  auto api = std::make_unique<docker::HttpDockerApi>(std::move(*endpoint));
  if (target == model::DeployTarget::kSwarm)
    return std::unique_ptr<Engine>(std::make_unique<SwarmEngine>(std::move(api)));
  return std::unique_ptr<Engine>(std::make_unique<DockerEngine>(std::move(api)));
}

Status LocalWorkspace::replace_file(const std::string& path, const std::string& text) const {
  fs::path target(path);
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  fs::path temporary = target;
  temporary += ".run-" + std::to_string(::getpid());
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) return usage_error("cannot write " + temporary.string());
  }
  if (fs::exists(target, error))
    fs::permissions(temporary, fs::status(target, error).permissions(), error);
  fs::rename(temporary, target, error);
  if (!error) return ok_status();
  fs::remove(temporary, error);
  return usage_error("cannot replace " + target.string());
}

Result<std::unique_ptr<build::ContextTree>> LocalWorkspace::build_context(
    const std::string& project_directory, const std::string& context,
    const std::optional<std::string>& revision) const {
  if (revision) return committed_context(project_directory, context, *revision);
  return working_tree_context(project_directory, context);
}

Result<std::string> LocalWorkspace::fetch(const std::string& project_directory,
                                          const std::string& remote, const std::string& branch,
                                          const history::FetchLimits& limits) const {
  Result<history::FetchedBranch> fetched =
      process::fetch_branch_in_child(project_directory, remote, branch, limits);
  if (!fetched) return fetched.errors();
  return fetched->commit_id;
}

}  // namespace run::app
