#include "cli/workspace.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace run::cli {

namespace {

Status enter_directory(const std::string& directory) {
  static bool entered = false;
  if (directory.empty() || entered) return ok_status();
  if (::chdir(directory.c_str()) != 0)
    return make_error(SourceLocation{directory, 0, 0}, "",
                      std::string("cannot change to directory: ") + std::strerror(errno));
  entered = true;
  return ok_status();
}

std::optional<std::string> given(const std::string& flag) {
  if (flag.empty()) return std::nullopt;
  return flag;
}

}  // namespace

Result<std::unique_ptr<app::LocalWorkspace>> open_workspace(const GlobalOptions& global) {
  if (Status entered = enter_directory(global.directory); !entered) return entered.errors();
  return std::make_unique<app::LocalWorkspace>(global.config_file, given(global.environment));
}

Result<app::ConfigTarget> open_config(const GlobalOptions& global,
                                      const std::optional<std::string>& revision,
                                      const std::optional<std::string>& environment) {
  Result<std::unique_ptr<app::LocalWorkspace>> workspace = open_workspace(global);
  if (!workspace) return workspace.errors();
  Result<app::Target> target = (*workspace)->target();
  if (!target) return target.errors();
  if (environment) target->environment = environment;
  return (*workspace)->config(*target, revision);
}

Result<OpenEnvironment> open_environment(const GlobalOptions& global,
                                         const std::optional<std::string>& revision) {
  Result<std::unique_ptr<app::LocalWorkspace>> workspace = open_workspace(global);
  if (!workspace) return workspace.errors();
  Result<app::Target> target = (*workspace)->target();
  if (!target) return target.errors();
  Result<app::LoadedEnvironment> loaded = app::load_environment(**workspace, *target, revision);
  if (!loaded) return loaded.errors();
  Result<std::unique_ptr<app::Engine>> engine =
      (*workspace)
          ->engine(loaded->desired.engine, loaded->desired.target, loaded->project_directory);
  if (!engine) return engine.errors();
  return OpenEnvironment{std::move(*workspace), std::move(*loaded), std::move(*engine)};
}

}  // namespace run::cli
