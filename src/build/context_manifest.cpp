#include "build/context_manifest.h"

#include <algorithm>

#include "build/dockerignore.h"
#include "build/ignore_pattern.h"
#include "config/digest.h"

namespace run::build {

namespace {

constexpr std::string_view kIgnoreFile = ".dockerignore";
constexpr std::uint64_t kMebibyte = std::uint64_t{1024} * 1024;

const ContextEntry* find_entry(const std::vector<ContextEntry>& entries, std::string_view path) {
  auto found = std::lower_bound(
      entries.begin(), entries.end(), path,
      [](const ContextEntry& entry, std::string_view wanted) { return entry.path < wanted; });
  return found != entries.end() && found->path == path ? &*found : nullptr;
}

/// The Dockerfile's path as it is in the context, or an error for one that leaves it.
Result<std::string> dockerfile_path(const std::string& dockerfile) {
  std::string cleaned = clean_path(dockerfile.empty() ? "Dockerfile" : dockerfile);
  if (cleaned == "." || cleaned.starts_with('/') || cleaned == ".." || cleaned.starts_with("../"))
    return make_error(SourceLocation{}, "",
                      "the Dockerfile " + dockerfile + " is outside the build context",
                      "build.dockerfile is a path inside the build context");
  return cleaned;
}

/// The rules of the context's `.dockerignore`, none when it has no such file.
Result<IgnoreRules> ignore_rules(const ContextTree& tree,
                                 const std::vector<ContextEntry>& entries) {
  const ContextEntry* file = find_entry(entries, kIgnoreFile);
  if (file == nullptr || file->type != EntryType::kFile) return IgnoreRules();
  std::string text;
  Status read = tree.read(std::string(kIgnoreFile), [&text](std::string_view piece) {
    text.append(piece);
    return true;
  });
  if (!read) return std::move(read).take_errors();
  return IgnoreRules::parse(text);
}

/// The entries `rules` keep, the Dockerfile and `.dockerignore` always among them.
std::vector<ContextEntry> kept_entries(std::vector<ContextEntry> entries, const IgnoreRules& rules,
                                       const std::string& dockerfile) {
  std::erase_if(entries, [&](const ContextEntry& entry) {
    return entry.path != dockerfile && entry.path != kIgnoreFile && rules.excluded(entry.path);
  });
  return entries;
}

std::uint64_t total_size(const std::vector<ContextEntry>& entries) {
  std::uint64_t total = 0;
  for (const ContextEntry& entry : entries) total += entry.size;
  return total;
}

/// "N MiB", rounded up so that a context just over a limit does not read as equal to it; bytes
/// under a mebibyte.
std::string size_text(std::uint64_t bytes) {
  if (bytes < kMebibyte) return std::to_string(bytes) + " bytes";
  return std::to_string((bytes + kMebibyte - 1) / kMebibyte) + " MiB";
}

std::string limit_text(std::uint64_t bytes) {
  if (bytes < kMebibyte || bytes % kMebibyte != 0) return std::to_string(bytes) + " bytes";
  return std::to_string(bytes / kMebibyte) + " MiB";
}

Diagnostic too_large_error(std::uint64_t total, std::uint64_t limit) {
  return make_error(SourceLocation{}, "",
                    "the build context is " + size_text(total) + ", over the " + limit_text(limit) +
                        " limit; exclude what the image does not need in .dockerignore");
}

/// A kept file, its content hashed as it is read; an error when it is no longer the size the
/// walk found (it is being written to).
Result<ManifestFile> hashed_file(const ContextTree& tree, const ContextEntry& entry) {
  bool symlink = entry.type == EntryType::kSymlink;
  ManifestFile file{entry.path, !symlink && entry.executable, symlink, {}, 0, entry.link_target};
  config::Sha256Stream hasher;
  if (symlink) {
    hasher.update(entry.link_target);
    file.size = entry.link_target.size();
    file.sha256 = hasher.finish_hex();
    return file;
  }
  Status read = tree.read(entry.path, [&](std::string_view piece) {
    hasher.update(piece);
    file.size += piece.size();
    return true;
  });
  if (!read) return std::move(read).take_errors();
  if (file.size != entry.size)
    return make_error(SourceLocation{}, "", entry.path + " changed while the context was read");
  file.sha256 = hasher.finish_hex();
  return file;
}

/// Writes `field` to the hash as "<length>:<field>\n": the length makes the text unambiguous
/// whatever bytes a path or an argument holds.
void hash_field(config::Sha256Stream& hasher, std::string_view field) {
  hasher.update(std::to_string(field.size()));
  hasher.update(":");
  hasher.update(field);
  hasher.update("\n");
}

std::string content_hash(const BuildManifest& manifest) {
  config::Sha256Stream hasher;
  hash_field(hasher, kContentHashVersion);
  hash_field(hasher, "dockerfile");
  hash_field(hasher, manifest.dockerfile);
  hash_field(hasher, "target");
  hash_field(hasher, manifest.target);
  hash_field(hasher, "args");
  hash_field(hasher, std::to_string(manifest.args.size()));
  for (const auto& [key, value] : manifest.args) {
    hash_field(hasher, key);
    hash_field(hasher, value);
  }
  hash_field(hasher, "files");
  hash_field(hasher, std::to_string(manifest.files.size()));
  for (const ManifestFile& file : manifest.files) {
    hash_field(hasher, file.symlink ? "symlink" : "file");
    hash_field(hasher, file.executable ? "1" : "0");
    hash_field(hasher, file.path);
    hash_field(hasher, file.sha256);
  }
  return hasher.finish_hex();
}

bool same_content(const ManifestFile& a, const ManifestFile& b) {
  return a.sha256 == b.sha256 && a.executable == b.executable && a.symlink == b.symlink;
}

}  // namespace

Result<BuildManifest> read_manifest(const ContextTree& tree, const BuildInputs& inputs,
                                    std::uint64_t max_context_bytes) {
  Result<std::string> dockerfile = dockerfile_path(inputs.dockerfile);
  if (!dockerfile) return std::move(dockerfile).take_errors();
  Result<std::vector<ContextEntry>> entries = tree.walk();
  if (!entries) return std::move(entries).take_errors();
  // The contract says sorted; a tree that is not must still give the same hash.
  std::sort(entries->begin(), entries->end(),
            [](const ContextEntry& a, const ContextEntry& b) { return a.path < b.path; });
  if (find_entry(*entries, *dockerfile) == nullptr)
    return make_error(SourceLocation{}, "",
                      "Dockerfile not found in the build context: " + *dockerfile,
                      "build.dockerfile is a path relative to the build context");
  Result<IgnoreRules> rules = ignore_rules(tree, *entries);
  if (!rules) return std::move(rules).take_errors();
  std::vector<ContextEntry> kept = kept_entries(std::move(*entries), *rules, *dockerfile);
  if (std::uint64_t total = total_size(kept); total > max_context_bytes)
    return too_large_error(total, max_context_bytes);

  BuildManifest manifest{{}, *dockerfile, inputs.args, inputs.target, 0, {}};
  manifest.files.reserve(kept.size());
  for (const ContextEntry& entry : kept) {
    Result<ManifestFile> file = hashed_file(tree, entry);
    if (!file) return std::move(file).take_errors();
    manifest.total_bytes += file->size;
    manifest.files.push_back(std::move(*file));
  }
  manifest.content_hash = content_hash(manifest);
  return manifest;
}

std::vector<std::string> changed_files(const BuildManifest& before, const BuildManifest& after) {
  std::vector<std::string> changed;
  auto old_file = before.files.begin();
  auto new_file = after.files.begin();
  while (old_file != before.files.end() || new_file != after.files.end()) {
    if (new_file == after.files.end() ||
        (old_file != before.files.end() && old_file->path < new_file->path)) {
      changed.push_back((old_file++)->path);  // removed
    } else if (old_file == before.files.end() || new_file->path < old_file->path) {
      changed.push_back((new_file++)->path);  // added
    } else {
      if (!same_content(*old_file, *new_file)) changed.push_back(old_file->path);
      ++old_file;
      ++new_file;
    }
  }
  return changed;
}

std::string short_tag(const BuildManifest& manifest) { return manifest.content_hash.substr(0, 12); }

}  // namespace run::build
