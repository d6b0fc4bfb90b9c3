#include "config/file_source.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace run::config {

namespace {

Diagnostic file_error(const std::string& path, std::string message, std::string hint = {}) {
  return make_error(SourceLocation{path, 0, 0}, "", std::move(message), std::move(hint));
}

std::string too_large_message(std::size_t size) {
  return "file is too large (" + std::to_string(size) + " bytes; the limit is " +
         std::to_string(kMaxConfigFileBytes) + ")";
}

// Checks the kind of file before opening it: opening a FIFO for reading would block.
Status check_regular_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    return file_error(path, std::string("cannot read: ") + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return file_error(path, "is a directory, not a file");
  if (!S_ISREG(info.st_mode))
    return file_error(path, "is not a regular file (a FIFO, socket or device)");
  if (static_cast<std::size_t>(info.st_size) > kMaxConfigFileBytes)
    return file_error(path, too_large_message(static_cast<std::size_t>(info.st_size)));
  return ok_status();
}

Result<std::string> read_bounded(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return file_error(path, std::string("cannot read: ") + std::strerror(errno));
  std::string text;
  char buffer[65536];
  ssize_t got = 0;
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > kMaxConfigFileBytes) break;
  }
  int read_errno = errno;
  ::close(fd);
  if (got < 0) return file_error(path, std::string("cannot read: ") + std::strerror(read_errno));
  if (text.size() > kMaxConfigFileBytes) return file_error(path, too_large_message(text.size()));
  return text;
}

}  // namespace

std::string FilesystemSource::full_path(const std::string& path) const {
  if (root_.empty() || (!path.empty() && path[0] == '/')) return path;
  return root_ + "/" + path;
}

Result<std::string> FilesystemSource::read(const std::string& path) const {
  std::string full = full_path(path);
  if (Status status = check_regular_file(full); !status) {
    Diagnostics errors = std::move(status).take_errors();
    errors.front().location.file = path;
    return errors;
  }
  Result<std::string> text = read_bounded(full);
  if (!text) {
    Diagnostics errors = std::move(text).take_errors();
    errors.front().location.file = path;
    return errors;
  }
  return text;
}

bool FilesystemSource::exists(const std::string& path) const {
  struct stat info {};
  return ::stat(full_path(path).c_str(), &info) == 0;
}

std::vector<std::string> FilesystemSource::list(const std::string& directory) const {
  std::vector<std::string> names;
  std::string full = full_path(directory);
  DIR* dir = ::opendir(full.c_str());
  if (dir == nullptr) return names;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    struct stat info {};
    if (::stat((full + "/" + name).c_str(), &info) == 0 && S_ISREG(info.st_mode))
      names.push_back(name);
  }
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> MemorySource::read(const std::string& path) const {
  auto it = files_.find(path);
  if (it == files_.end()) return file_error(path, "cannot read: No such file or directory");
  if (it->second.size() > kMaxConfigFileBytes)
    return file_error(path, too_large_message(it->second.size()));
  return it->second;
}

bool MemorySource::exists(const std::string& path) const { return files_.count(path) > 0; }

std::vector<std::string> MemorySource::list(const std::string& directory) const {
  std::vector<std::string> names;
  std::string prefix = directory.empty() ? "" : directory + "/";
  for (const auto& [path, text] : files_) {
    if (!path.starts_with(prefix)) continue;
    std::string rest = path.substr(prefix.size());
    if (rest.find('/') == std::string::npos) names.push_back(rest);
  }
  return names;
}

}  // namespace run::config
