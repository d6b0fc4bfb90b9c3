#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/config_target.h"
#include "app/engine.h"
#include "app/target.h"
#include "build/context_tree.h"
#include "core/result.h"
#include "history/fetch_protocol.h"
#include "history/record_store.h"

namespace run::app {

/// Everything outside a use case: the project's files, its history, the engine, and git
/// remotes. LocalWorkspace is the real one; the tests have an in-memory one.
class Workspace {
 public:
  virtual ~Workspace() = default;

  /// The project: its configuration file found anew on each call (a loop started before
  /// the file exists sees it once it does).
  virtual Result<Target> target() const = 0;
  /// The configuration of `target`, from the working tree, or as committed at `revision`.
  virtual Result<ConfigTarget> config(const Target& target,
                                      const std::optional<std::string>& revision) const = 0;
  /// The deployment records of the project in `project_directory`.
  virtual Result<std::unique_ptr<history::RecordStore>> history(
      const std::string& project_directory, history::StoreAccess access) const = 0;
  /// The engine an environment deploys to: the one its `engine:` names (TLS paths relative to
  /// `project_directory`), else the one the process environment and the docker CLI's current
  /// context choose.
  /// `target` says what runs there: containers of that engine, or services of its swarm.
  virtual Result<std::unique_ptr<Engine>> engine(const std::optional<model::EngineSpec>& spec,
                                                 model::DeployTarget target,
                                                 const std::string& project_directory) const = 0;
  /// Replaces the file at `path` (absolute) with `text` in one step, keeping its mode: a crash
  /// leaves the old file or the new one, never half of one.
  virtual Status replace_file(const std::string& path, const std::string& text) const = 0;
  /// The files of the build context `context` (relative to `project_directory`): in the
  /// working tree, or as committed at `revision`. Errors: the directory does not exist, or
  /// leads outside the project (through `..` or a symbolic link: the resolved path is named).
  virtual Result<std::unique_ptr<build::ContextTree>> build_context(
      const std::string& project_directory, const std::string& context,
      const std::optional<std::string>& revision) const = 0;
  /// Fetches `branch` of `remote` into the project's repository; the commit it points at.
  /// Gives up at `limits.timeout` ("fetch of REMOTE timed out after 60 s") or once
  /// `*limits.stop` is true, so a remote that never answers cannot hang the loop.
  virtual Result<std::string> fetch(const std::string& project_directory, const std::string& remote,
                                    const std::string& branch,
                                    const history::FetchLimits& limits) const = 0;
};

}  // namespace run::app
