// Reading a build context without Docker: how long build::read_manifest takes over a directory
// of N small files (the walk, .dockerignore, a streamed SHA-256 of every kept file and the
// content hash), which a no-op `run apply` pays for each built service, so that the cost can be
// seen to grow linearly with the bytes.
//
//   context_hash_bench [--repeat R] [--size BYTES] [N...]   (default: 1000 10000 20000, R 5, 1024)
//
// For each N it makes a temporary directory holding a Dockerfile, a .dockerignore and N files
// of about BYTES each (the sizes vary by up to an eighth either way, the content differs per
// file) in nested directories of at most 100 files, 100 directories to a level, plus one file
// the .dockerignore leaves out for every 100 kept. It syncs the filesystem and drops the files
// from the page cache (posix_fadvise), times a first pass (cold-ish: the page cache is
// dropped, the kernel's inode and directory caches are not), then R warm passes, checks that
// every pass kept exactly the expected files and gave the same content hash, prints a markdown
// table row, and removes the directory.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "build/context_manifest.h"
#include "build/filesystem_context.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr int kFilesPerDirectory = 100;
constexpr int kIgnoredEvery = 100;  // one ignored file per 100 kept ones
constexpr std::uint64_t kMaxContextBytes = 512ull * 1024 * 1024;  // apply's limit

/// A deterministic pseudo-random stream, so that every file has its own content.
struct Xorshift {
  std::uint64_t state;
  std::uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
};

/// "src/00/07/f00742.txt"-like paths: directories of at most 100 files, 100 directories a level.
std::string kept_path(int index) {
  char path[64];
  int directory = index / kFilesPerDirectory;
  std::snprintf(path, sizeof path, "src/%02d/%02d/f%05d.txt", directory / 100, directory % 100,
                index);
  return path;
}

bool write_file(const fs::path& path, const std::string& content) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return false;
  bool ok = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  return std::fclose(file) == 0 && ok;
}

/// Printable text of `bytes` bytes, different for every seed.
std::string file_content(Xorshift& random, std::size_t bytes) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789 \n";
  std::string content(bytes, ' ');
  for (char& c : content) c = kAlphabet[random.next() % (sizeof kAlphabet - 1)];
  return content;
}

struct Context {
  fs::path root;
  std::vector<fs::path> files;  // everything written, for dropping from the page cache
  std::uint64_t kept_bytes = 0;
  std::size_t kept_files = 0;
};

bool make_context(const fs::path& root, int file_count, std::size_t file_bytes, Context& context) {
  context.root = root;
  Xorshift random{0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(file_count)};
  auto add = [&](const std::string& relative, const std::string& content, bool kept) {
    fs::path path = root / relative;
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error || !write_file(path, content)) {
      std::fprintf(stderr, "context_hash_bench: cannot write %s\n", path.c_str());
      return false;
    }
    context.files.push_back(path);
    if (kept) {
      context.kept_bytes += content.size();
      ++context.kept_files;
    }
    return true;
  };
  if (!add("Dockerfile", "FROM run-demo/busybox\nCOPY src /src\n", true) ||
      !add(".dockerignore", "# build outputs\n**/*.tmp\n*.md\n", true) ||
      !add("README.md", "not sent\n", false))
    return false;
  for (int index = 0; index < file_count; ++index) {
    // 7/8 to 9/8 of file_bytes, so that sizes are not all alike.
    std::size_t bytes = file_bytes - file_bytes / 8 + random.next() % (file_bytes / 4 + 1);
    std::string path = kept_path(index);
    if (!add(path, file_content(random, bytes), true)) return false;
    if (index % kIgnoredEvery == 0 &&
        !add(path.substr(0, path.size() - 4) + ".tmp", file_content(random, bytes), false))
      return false;
  }
  return true;
}

/// Writes the files out and drops them from the page cache, so the first pass reads the disk.
void drop_page_cache(const Context& context) {
  int root = open(context.root.c_str(), O_RDONLY | O_DIRECTORY);
  if (root >= 0) {
    syncfs(root);
    close(root);
  }
  for (const fs::path& path : context.files) {
    int file = open(path.c_str(), O_RDONLY);
    if (file < 0) continue;
    posix_fadvise(file, 0, 0, POSIX_FADV_DONTNEED);
    close(file);
  }
}

/// One read_manifest over the context: its wall time, or a negative number when it failed or
/// kept other files than the ones expected.
double timed_pass(const Context& context, std::string& hash) {
  run::build::FilesystemContext tree(context.root.string());
  auto start = Clock::now();
  run::Result<run::build::BuildManifest> manifest =
      run::build::read_manifest(tree, run::build::BuildInputs{}, kMaxContextBytes);
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (!manifest) {
    std::fprintf(stderr, "context_hash_bench: read_manifest failed: %s\n",
                 manifest.errors().front().message.c_str());
    return -1;
  }
  if (manifest->files.size() != context.kept_files || manifest->total_bytes != context.kept_bytes) {
    std::fprintf(stderr,
                 "context_hash_bench: read_manifest kept %zu files of %llu bytes; expected %zu "
                 "of %llu\n",
                 manifest->files.size(), static_cast<unsigned long long>(manifest->total_bytes),
                 context.kept_files, static_cast<unsigned long long>(context.kept_bytes));
    return -1;
  }
  if (!hash.empty() && hash != manifest->content_hash) {
    std::fprintf(stderr, "context_hash_bench: the content hash changed between passes\n");
    return -1;
  }
  hash = manifest->content_hash;
  return ms;
}

/// One size: prints its table row, and its warm median in `warm_ms`. False on any failure.
bool measure(int file_count, std::size_t file_bytes, int repeat, double& warm_ms) {
  std::string pattern = (fs::temp_directory_path() / "context-hash-bench.XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("context_hash_bench: mkdtemp");
    return false;
  }
  fs::path root = pattern;
  Context context;
  bool ok = make_context(root, file_count, file_bytes, context);
  double first_ms = -1;
  std::vector<double> warm;
  std::string hash;
  if (ok) {
    drop_page_cache(context);
    first_ms = timed_pass(context, hash);
    ok = first_ms >= 0;
  }
  for (int i = 0; ok && i < repeat; ++i) {
    double ms = timed_pass(context, hash);
    ok = ms >= 0;
    warm.push_back(ms);
  }
  std::error_code error;
  fs::remove_all(root, error);
  if (!ok) return false;
  std::sort(warm.begin(), warm.end());
  warm_ms = warm[warm.size() / 2];
  double mib = context.kept_bytes / (1024.0 * 1024.0);
  std::printf("| %zu | %.1f | %.1f | %.1f | %.0f | %.2f |\n", context.kept_files, mib, first_ms,
              warm_ms, context.kept_bytes / 1e6 / (warm_ms / 1000.0),
              warm_ms * 1000.0 / context.kept_files);
  std::fflush(stdout);
  return true;
}

int usage() {
  std::fprintf(stderr,
               "usage: context_hash_bench [--repeat R] [--size BYTES] [N...]   (N files per size; "
               "default 1000 10000 20000, R 5, BYTES 1024)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  long file_bytes = 1024;
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
      continue;
    }
    if (argument == "--size" && i + 1 < argc) {
      file_bytes = std::atol(argv[++i]);
      continue;
    }
    int size = std::atoi(argument.c_str());
    if (size < 1 || size > 1000000) return usage();
    sizes.push_back(size);
  }
  if (repeat < 1 || file_bytes < 8) return usage();
  if (sizes.empty()) sizes = {1000, 10000, 20000};
  std::printf(
      "| files sent | MiB | first pass ms (page cache dropped) | warm median ms | MB/s (warm) | µs "
      "per file (warm) |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|\n");
  bool all_ok = true;
  double goal_ms = -1;
  for (int size : sizes) {
    double warm_ms = 0;
    bool ok = measure(size, static_cast<std::size_t>(file_bytes), repeat, warm_ms);
    if (ok && size == 10000) goal_ms = warm_ms;
    all_ok = ok && all_ok;
  }
  if (goal_ms >= 0 && file_bytes == 1024)
    std::printf("\nGoal, 10,000 small files under 200 ms warm: %.1f ms, %s.\n", goal_ms,
                goal_ms < 200 ? "met" : "**missed**");
  return all_ok ? 0 : 1;
}
