#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace run::config {

/// Files over this size are refused before they are read: no configuration is that large,
/// and a parser fed gigabytes would take the machine with it.
inline constexpr std::size_t kMaxConfigFileBytes = 16u * 1024 * 1024;

/// Where configuration files come from: the filesystem, a git tree (history), or memory
/// (tests). Paths are relative to the source's root, '/'-separated.
class FileSource {
 public:
  virtual ~FileSource() = default;
  /// The whole file; an error (naming the path) when it is missing, not a regular file, or
  /// larger than kMaxConfigFileBytes.
  virtual Result<std::string> read(const std::string& path) const = 0;
  virtual bool exists(const std::string& path) const = 0;
  /// The names of the regular files directly inside `directory`, sorted; empty when none.
  virtual std::vector<std::string> list(const std::string& directory) const = 0;
};

/// Reads below a directory of the filesystem.
class FilesystemSource final : public FileSource {
 public:
  explicit FilesystemSource(std::string root) : root_(std::move(root)) {}
  Result<std::string> read(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> list(const std::string& directory) const override;

 private:
  std::string full_path(const std::string& path) const;
  std::string root_;
};

/// Files held in memory, for tests.
class MemorySource final : public FileSource {
 public:
  MemorySource() = default;
  explicit MemorySource(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  void add(std::string path, std::string text) { files_[std::move(path)] = std::move(text); }
  Result<std::string> read(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> list(const std::string& directory) const override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace run::config
