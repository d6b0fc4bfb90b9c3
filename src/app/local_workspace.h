#pragma once

#include <optional>
#include <string>

#include "app/workspace.h"
#include "config/interpolate.h"

namespace run::app {

/// The workspace of a process: the files below the current directory (-C is applied by the
/// CLI before), the project's git repository, and the Docker engine DOCKER_HOST names.
class LocalWorkspace final : public Workspace {
 public:
  /// `config_file`: -f, else $RUN_CONFIG, else found upwards. `environment`: --env, else
  /// $RUN_ENV. The process environment is captured here, once: interpolation reads only it.
  LocalWorkspace(std::string config_file, std::optional<std::string> environment);

  /// -f, else $RUN_CONFIG, else run-config.yaml in the current directory or a parent up to
  /// the git root (a directory holding .git).
  Result<Target> target() const override;
  /// With a `revision`, run-config.yaml and the overlays are read from the git tree at that
  /// revision, without a checkout, and named in messages as `REV:path`
  /// (`HEAD~1:environments/dev.yaml:3:5`); `.env` and `.run/secrets/` are never committed,
  /// so they still come from the working tree. Errors: no git repository, a revision that does
  /// not exist, a project directory not in that commit.
  Result<ConfigTarget> config(const Target& target,
                              const std::optional<std::string>& revision) const override;
  Result<std::unique_ptr<history::RecordStore>> history(const std::string& project_directory,
                                                        history::StoreAccess access) const override;
  Result<std::unique_ptr<Engine>> engine(const std::optional<model::EngineSpec>& spec,
                                         model::DeployTarget target,
                                         const std::string& project_directory) const override;
  Status replace_file(const std::string& path, const std::string& text) const override;
  Result<std::unique_ptr<build::ContextTree>> build_context(
      const std::string& project_directory, const std::string& context,
      const std::optional<std::string>& revision) const override;
  /// In a child process (process/fetch_child.h): libgit2's fetch has no timeout.
  Result<std::string> fetch(const std::string& project_directory, const std::string& remote,
                            const std::string& branch,
                            const history::FetchLimits& limits) const override;

 private:
  std::string config_file_;
  std::optional<std::string> environment_;
  config::VariableMap process_environment_;
};

}  // namespace run::app
