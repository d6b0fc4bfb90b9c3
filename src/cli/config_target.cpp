#include "cli/config_target.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "config/local_files_source.h"

extern char** environ;

namespace run::cli {

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

}  // namespace

Result<ConfigTarget> resolve_config_target(const GlobalOptions& global,
                                           const std::optional<std::string>& revision) {
  if (!global.directory.empty() && ::chdir(global.directory.c_str()) != 0)
    return make_error(SourceLocation{global.directory, 0, 0}, "",
                      std::string("cannot change to directory: ") + std::strerror(errno));
  fs::path current = fs::current_path();
  std::string chosen =
      !global.config_file.empty() ? global.config_file : getenv_or_empty("RUN_CONFIG");
  fs::path config_path;
  if (!chosen.empty()) {
    config_path = fs::path(chosen);
  } else if (auto found = find_upwards(current)) {
    config_path = *found;
  } else {
    return make_error(SourceLocation{}, "",
                      "no run-config.yaml in " + current.string() + " or its parents",
                      "run from the project's directory, or pass -f FILE (or set RUN_CONFIG)");
  }
  fs::path absolute = config_path.is_absolute() ? config_path : current / config_path;
  fs::path directory = absolute.parent_path().lexically_normal();
  ConfigTarget target;
  target.files = std::make_unique<config::FilesystemSource>(directory.string());
  target.directory = directory.string();
  target.request.config_file = absolute.filename().string();
  target.request.display_prefix = display_prefix(directory, current);
  std::string environment =
      !global.environment.empty() ? global.environment : getenv_or_empty("RUN_ENV");
  if (!environment.empty()) target.request.environment = environment;
  target.request.process_environment = process_environment();
  if (revision) {
    if (Status read = read_from_revision(target, *revision); !read) return read.errors();
  }
  return target;
}

}  // namespace run::cli
