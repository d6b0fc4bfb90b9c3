#pragma once

// A build context held in memory, and a temporary directory, for the build_*_test.cpp files.

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "build/context_manifest.h"
#include "build/context_tree.h"

namespace run::test {

/// Files and links in memory. Content is handed out three bytes at a time, so that every
/// consumer is exercised on pieces; walk() can list in reverse, to show order does not matter.
class MemoryContext final : public build::ContextTree {
 public:
  void file(const std::string& path, std::string content, bool executable = false) {
    entries_[path] = {path, build::EntryType::kFile, executable, content.size(), {}};
    contents_[path] = std::move(content);
  }
  void link(const std::string& path, const std::string& target) {
    entries_[path] = {path, build::EntryType::kSymlink, false, target.size(), target};
    contents_.erase(path);
  }
  void remove(const std::string& path) {
    entries_.erase(path);
    contents_.erase(path);
  }
  /// Changes what read() gives without changing what walk() said: a file written to meanwhile.
  void change_content_only(const std::string& path, std::string content) {
    contents_[path] = std::move(content);
  }
  void list_in_reverse() { reverse_ = true; }

  Result<std::vector<build::ContextEntry>> walk() const override {
    std::vector<build::ContextEntry> entries;
    for (const auto& [path, entry] : entries_) entries.push_back(entry);
    if (reverse_) std::reverse(entries.begin(), entries.end());
    return entries;
  }

  Status read(const std::string& path, const build::ContentSink& sink) const override {
    auto found = contents_.find(path);
    if (found == contents_.end())
      return make_error(SourceLocation{}, "", "cannot read " + path + ": no such file");
    for (std::size_t at = 0; at < found->second.size(); at += 3)
      if (!sink(std::string_view(found->second).substr(at, 3))) break;
    return ok_status();
  }

 private:
  std::map<std::string, build::ContextEntry> entries_;
  std::map<std::string, std::string> contents_;
  bool reverse_ = false;
};

/// A directory under /tmp, removed with everything in it at the end of the test.
class TempDirectory {
 public:
  TempDirectory() {
    char pattern[] = "/tmp/run-build-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    path_ = pattern;
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }
  std::string at(const std::string& relative) const { return path_ + "/" + relative; }

  void write(const std::string& relative, const std::string& content,
             bool executable = false) const {
    std::filesystem::create_directories(std::filesystem::path(at(relative)).parent_path());
    std::ofstream(at(relative), std::ios::binary | std::ios::trunc) << content;
    std::filesystem::permissions(
        at(relative), executable ? std::filesystem::perms(0755) : std::filesystem::perms(0644));
  }
  void link(const std::string& relative, const std::string& target) const {
    std::filesystem::create_directories(std::filesystem::path(at(relative)).parent_path());
    REQUIRE(::symlink(target.c_str(), at(relative).c_str()) == 0);
  }
  std::string read(const std::string& relative) const {
    std::ifstream in(at(relative), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  std::string path_;
};

/// The manifest of `tree`; fails the test on an error.
inline build::BuildManifest manifest_ok(const build::ContextTree& tree,
                                        const build::BuildInputs& inputs = {},
                                        std::uint64_t limit = 512u * 1024 * 1024) {
  Result<build::BuildManifest> manifest = build::read_manifest(tree, inputs, limit);
  if (!manifest) FAIL("unexpected error: " << format_diagnostic(manifest.errors().front()));
  return std::move(manifest).value();
}

/// The one error `tree` is refused with, formatted.
inline std::string manifest_error(const build::ContextTree& tree,
                                  const build::BuildInputs& inputs = {},
                                  std::uint64_t limit = 512u * 1024 * 1024) {
  Result<build::BuildManifest> manifest = build::read_manifest(tree, inputs, limit);
  REQUIRE_FALSE(manifest);
  return manifest.errors().front().message;
}

}  // namespace run::test
