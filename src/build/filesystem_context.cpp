#include "build/filesystem_context.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

namespace run::build {

namespace {

constexpr std::size_t kReadPieceBytes = std::size_t{64} * 1024;

/// "cannot read src/app/secret.key: Permission denied": the caller adds where the context was
/// configured, so the path here is the one inside the context.
Diagnostic read_error(const std::string& path, int error_number) {
  return make_error(SourceLocation{}, "",
                    "cannot read " + path + ": " + std::strerror(error_number));
}

std::string shown(const std::string& relative) { return relative.empty() ? "." : relative; }

std::string joined(const std::string& directory, const std::string& name) {
  return directory.empty() ? name : directory + "/" + name;
}

/// closedir on every path out of walk_directory.
struct DirectoryCloser {
  void operator()(DIR* directory) const { ::closedir(directory); }
};
using DirectoryPtr = std::unique_ptr<DIR, DirectoryCloser>;

struct FileCloser {
  int fd;
  ~FileCloser() { ::close(fd); }
};

Result<std::string> link_target(const std::string& full, const std::string& path,
                                std::size_t size_hint) {
  std::string target(std::max<std::size_t>(size_hint, 64), '\0');
  while (true) {
    ssize_t length = ::readlink(full.c_str(), target.data(), target.size());
    if (length < 0) return read_error(path, errno);
    if (static_cast<std::size_t>(length) < target.size()) {
      target.resize(static_cast<std::size_t>(length));
      return target;
    }
    target.resize(target.size() * 2);  // the link grew since lstat, or st_size was not its length
  }
}

/// The entry for `path`, nullopt for what a context does not hold (a directory is walked by the
/// caller; sockets, FIFOs and devices are skipped).
Result<std::optional<ContextEntry>> entry_for(const std::string& full, const std::string& path,
                                              const struct stat& info) {
  if (S_ISREG(info.st_mode))
    return std::optional<ContextEntry>(ContextEntry{path,
                                                    EntryType::kFile,
                                                    (info.st_mode & S_IXUSR) != 0,
                                                    static_cast<std::uint64_t>(info.st_size),
                                                    {}});
  if (!S_ISLNK(info.st_mode)) return std::optional<ContextEntry>();
  Result<std::string> target = link_target(full, path, static_cast<std::size_t>(info.st_size));
  if (!target) return std::move(target).take_errors();
  ContextEntry entry{path, EntryType::kSymlink, false, target->size(), std::move(*target)};
  return std::optional<ContextEntry>(std::move(entry));
}

}  // namespace

FilesystemContext::FilesystemContext(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string FilesystemContext::full_path(const std::string& path) const {
  return path.empty() ? root_ : root_ + "/" + path;
}

Result<std::vector<ContextEntry>> FilesystemContext::walk() const {
  struct stat info {};
  if (::stat(root_.c_str(), &info) != 0)
    return make_error(SourceLocation{}, "",
                      "cannot read the build context " + root_ + ": " + std::strerror(errno));
  if (!S_ISDIR(info.st_mode))
    return make_error(SourceLocation{}, "", "the build context " + root_ + " is not a directory");
  std::vector<ContextEntry> entries;
  if (Status walked = walk_directory("", entries); !walked) return std::move(walked).take_errors();
  std::sort(entries.begin(), entries.end(),
            [](const ContextEntry& a, const ContextEntry& b) { return a.path < b.path; });
  return entries;
}

Status FilesystemContext::walk_directory(const std::string& directory,
                                         std::vector<ContextEntry>& entries) const {
  DirectoryPtr handle(::opendir(full_path(directory).c_str()));
  if (!handle) return read_error(shown(directory), errno);
  errno = 0;
  while (const dirent* item = ::readdir(handle.get())) {
    std::string name = item->d_name;
    if (name == "." || name == ".." || name == ".git") continue;
    std::string path = joined(directory, name);
    std::string full = full_path(path);
    struct stat info {};
    if (::lstat(full.c_str(), &info) != 0) return read_error(path, errno);
    if (S_ISDIR(info.st_mode)) {
      if (Status walked = walk_directory(path, entries); !walked) return walked;
      errno = 0;
      continue;
    }
    Result<std::optional<ContextEntry>> entry = entry_for(full, path, info);
    if (!entry) return std::move(entry).take_errors();
    if (*entry) entries.push_back(std::move(**entry));
    errno = 0;
  }
  if (errno != 0) return read_error(shown(directory), errno);
  return ok_status();
}

Status FilesystemContext::read(const std::string& path, const ContentSink& sink) const {
  // O_NOFOLLOW: a file replaced by a link since the walk is not read through the link.
  // O_NONBLOCK: one replaced by a FIFO does not block the open.
  int fd = ::open(full_path(path).c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return read_error(path, errno);
  FileCloser closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) return read_error(path, errno);
  if (!S_ISREG(info.st_mode))
    return make_error(SourceLocation{}, "", "cannot read " + path + ": not a regular file");
  // A buffer no larger than the file (and one byte, to see its end at once): most files of a
  // context are small, and zeroing 64 KiB for each was 5% of reading one (perf).
  std::size_t buffer_bytes =
      std::min<std::size_t>(static_cast<std::size_t>(info.st_size) + 1, kReadPieceBytes);
  std::string piece(buffer_bytes, '\0');
  while (true) {
    ssize_t got = ::read(fd, piece.data(), piece.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return read_error(path, errno);
    if (got == 0) return ok_status();
    if (!sink(std::string_view(piece.data(), static_cast<std::size_t>(got)))) return ok_status();
  }
}

}  // namespace run::build
