#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/config_loader.h"
#include "config/file_source.h"
#include "history/git_tree_source.h"

namespace run::app {

/// A configuration ready to load: the files it is read from and the request to load it with.
struct ConfigTarget {
  std::unique_ptr<config::FileSource> files;
  std::string directory;  ///< absolute: the directory of run-config.yaml
  config::LoadRequest request;
  /// Set when the configuration is read from a git revision: the commit it names.
  std::optional<history::ResolvedRevision> revision;
};

}  // namespace run::app
