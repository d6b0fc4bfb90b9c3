#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/file_source.h"

namespace run::config {

/// Whether `path` (relative to the project's directory) names one of the files a project
/// keeps out of git: `.env` and everything under `.run/` (the secrets files, history).
bool is_local_only_path(const std::string& path);

/// The configuration from one source and the project's local, uncommitted files (`.env`,
/// `.run/secrets/<env>.env`) from another: `--revision` reads run-config.yaml and the
/// overlays from a git tree, while variables and secrets still come from the working tree,
/// since they were never committed.
class LocalFilesSource final : public FileSource {
 public:
  LocalFilesSource(std::unique_ptr<FileSource> committed, std::unique_ptr<FileSource> local)
      : committed_(std::move(committed)), local_(std::move(local)) {}

  Result<std::string> read(const std::string& path) const override {
    return source_for(path).read(path);
  }
  bool exists(const std::string& path) const override { return source_for(path).exists(path); }
  std::vector<std::string> list(const std::string& directory) const override {
    return source_for(directory).list(directory);
  }

 private:
  const FileSource& source_for(const std::string& path) const {
    return is_local_only_path(path) ? *local_ : *committed_;
  }

  std::unique_ptr<FileSource> committed_;
  std::unique_ptr<FileSource> local_;
};

}  // namespace run::config
