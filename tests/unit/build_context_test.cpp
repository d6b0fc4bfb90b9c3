#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "build/context_manifest.h"
#include "build/filesystem_context.h"
#include "build/git_context.h"
#include "build_fakes.h"
#include "config/digest.h"
#include "history/git_repository.h"

namespace run::build {

namespace {

using test::manifest_error;
using test::manifest_ok;
using test::MemoryContext;
using test::TempDirectory;

constexpr std::size_t kKibibyte = 1024;
constexpr std::uint64_t kMebibyte = std::uint64_t{1024} * 1024;

/// A small service's context: a Dockerfile, a script, sources and a link.
MemoryContext service_context() {
  MemoryContext context;
  context.file("Dockerfile", "FROM alpine\nCOPY . /app\n");
  context.file("src/app/server.sh", "#!/bin/sh\nexec app\n", true);
  context.file("src/app/main.py", "print('hi')\n");
  context.link("current", "src/app");
  return context;
}

std::string hash_of(const ContextTree& tree, const BuildInputs& inputs = {}) {
  return manifest_ok(tree, inputs).content_hash;
}

std::vector<std::string> paths_of(const BuildManifest& manifest) {
  std::vector<std::string> paths;
  for (const ManifestFile& file : manifest.files) paths.push_back(file.path);
  return paths;
}

/// Commits everything in `directory`'s working tree to a new repository there; returns the
/// commit's id.
std::string commit_all(const std::string& directory) {
  history::ensure_libgit2();
  git_repository* raw_repository = nullptr;
  REQUIRE(git_repository_init(&raw_repository, directory.c_str(), 0) == 0);
  history::RepositoryPtr repository(raw_repository);
  git_index* raw_index = nullptr;
  REQUIRE(git_repository_index(&raw_index, repository.get()) == 0);
  history::IndexPtr index(raw_index);
  REQUIRE(git_index_add_all(index.get(), nullptr, GIT_INDEX_ADD_FORCE, nullptr, nullptr) == 0);
  REQUIRE(git_index_write(index.get()) == 0);
  git_oid tree_id;
  REQUIRE(git_index_write_tree(&tree_id, index.get()) == 0);
  git_tree* raw_tree = nullptr;
  REQUIRE(git_tree_lookup(&raw_tree, repository.get(), &tree_id) == 0);
  history::TreePtr tree(raw_tree);
  git_signature* raw_signature = nullptr;
  REQUIRE(git_signature_now(&raw_signature, "Test", "test@example.com") == 0);
  history::SignaturePtr signature(raw_signature);
  git_oid commit_id;
  REQUIRE(git_commit_create(&commit_id, repository.get(), "HEAD", signature.get(), signature.get(),
                            nullptr, "context", tree.get(), 0, nullptr) == 0);
  return history::oid_text(commit_id);
}

std::unique_ptr<GitContextTree> git_context_ok(const std::string& directory,
                                               const std::string& revision,
                                               const std::string& context_path) {
  Result<std::unique_ptr<GitContextTree>> context =
      open_git_context(directory, revision, context_path);
  if (!context) FAIL("unexpected error: " << format_diagnostic(context.errors().front()));
  return std::move(context).value();
}

std::vector<ContextEntry> walk_ok(const ContextTree& tree) {
  Result<std::vector<ContextEntry>> entries = tree.walk();
  if (!entries) FAIL("unexpected error: " << format_diagnostic(entries.errors().front()));
  return std::move(entries).value();
}

std::string read_ok(const ContextTree& tree, const std::string& path) {
  std::string content;
  Status read = tree.read(path, [&content](std::string_view piece) {
    content.append(piece);
    return true;
  });
  if (!read) FAIL("unexpected error: " << format_diagnostic(read.errors().front()));
  return content;
}

}  // namespace

TEST_CASE("build manifest: lists the kept files with their digests, sizes and modes") {
  MemoryContext context = service_context();
  BuildManifest manifest = manifest_ok(context);
  CHECK(paths_of(manifest) ==
        std::vector<std::string>{"Dockerfile", "current", "src/app/main.py", "src/app/server.sh"});
  CHECK(manifest.dockerfile == "Dockerfile");
  CHECK(manifest.files[0].sha256 == config::sha256_hex("FROM alpine\nCOPY . /app\n"));
  CHECK(manifest.files[1].symlink);
  CHECK(manifest.files[1].sha256 == config::sha256_hex("src/app"));
  CHECK(manifest.files[1].link_target == "src/app");
  CHECK_FALSE(manifest.files[2].executable);
  CHECK(manifest.files[3].executable);
  CHECK(manifest.total_bytes == 24 + 7 + 12 + 19);
  CHECK(manifest.content_hash.size() == 64);
  CHECK(short_tag(manifest) == manifest.content_hash.substr(0, 12));
}

TEST_CASE("build manifest: the content hash follows its definition, field by field") {
  MemoryContext context;
  context.file("Dockerfile", "FROM scratch\n");
  BuildInputs inputs;
  inputs.args = {{"B", "2"}, {"A", "1"}};
  inputs.target = "prod";
  auto field = [](std::string_view text) {
    return std::to_string(text.size()) + ":" + std::string(text) + "\n";
  };
  std::string canonical = field("run-build-v1") + field("dockerfile") + field("Dockerfile") +
                          field("target") + field("prod") + field("args") + field("2") +
                          field("A") + field("1") + field("B") + field("2") + field("files") +
                          field("1") + field("file") + field("0") + field("Dockerfile") +
                          field(config::sha256_hex("FROM scratch\n"));
  CHECK(hash_of(context, inputs) == config::sha256_hex(canonical));
}

TEST_CASE("build manifest: the hash does not depend on the order the tree lists files in") {
  MemoryContext sorted = service_context();
  MemoryContext reversed = service_context();
  reversed.list_in_reverse();
  CHECK(hash_of(sorted) == hash_of(reversed));
  CHECK(hash_of(sorted) == hash_of(service_context()));
}

TEST_CASE("build manifest: the hash changes with content, name, mode, kind and build inputs") {
  const std::string base = hash_of(service_context());

  MemoryContext edited = service_context();
  edited.file("src/app/main.py", "print('bye')\n");
  CHECK(hash_of(edited) != base);

  MemoryContext renamed = service_context();
  renamed.remove("src/app/main.py");
  renamed.file("src/app/app.py", "print('hi')\n");
  CHECK(hash_of(renamed) != base);

  MemoryContext not_executable = service_context();
  not_executable.file("src/app/server.sh", "#!/bin/sh\nexec app\n", false);
  CHECK(hash_of(not_executable) != base);

  MemoryContext relinked = service_context();
  relinked.link("current", "src");
  CHECK(hash_of(relinked) != base);

  MemoryContext file_not_link = service_context();
  file_not_link.file("current", "src/app");  // same bytes as the link's target
  CHECK(hash_of(file_not_link) != base);

  BuildInputs with_arg;
  with_arg.args["VERSION"] = "1";
  CHECK(hash_of(service_context(), with_arg) != base);
  BuildInputs other_arg;
  other_arg.args["VERSION"] = "2";
  CHECK(hash_of(service_context(), other_arg) != hash_of(service_context(), with_arg));
  BuildInputs with_target;
  with_target.target = "runtime";
  CHECK(hash_of(service_context(), with_target) != base);

  MemoryContext two_dockerfiles = service_context();
  two_dockerfiles.file("Dockerfile.prod", "FROM alpine\nCOPY . /app\n");
  BuildInputs other_dockerfile;
  other_dockerfile.dockerfile = "Dockerfile.prod";
  CHECK(hash_of(two_dockerfiles, other_dockerfile) != hash_of(two_dockerfiles));
  BuildInputs dotted_dockerfile;
  dotted_dockerfile.dockerfile = "./Dockerfile.prod";
  CHECK(hash_of(two_dockerfiles, dotted_dockerfile) == hash_of(two_dockerfiles, other_dockerfile));
}

TEST_CASE("build manifest: fields cannot run into each other") {
  MemoryContext context = service_context();
  BuildInputs split_one;
  split_one.args = {{"A", "B=C"}};
  BuildInputs split_two;
  split_two.args = {{"A=B", "C"}};
  CHECK(hash_of(context, split_one) != hash_of(context, split_two));
}

TEST_CASE("build manifest: .dockerignore leaves files out, but never the Dockerfile or itself") {
  MemoryContext context = service_context();
  context.file(".dockerignore", "*.md\nDockerfile\n.dockerignore\nsrc/app/main.py\n");
  context.file("NOTES.md", "draft\n");
  BuildManifest manifest = manifest_ok(context);
  CHECK(paths_of(manifest) ==
        std::vector<std::string>{".dockerignore", "Dockerfile", "current", "src/app/server.sh"});

  MemoryContext edited = context;
  edited.file("NOTES.md", "a much longer draft\n");
  edited.file("src/app/main.py", "print('ignored')\n");
  CHECK(hash_of(edited) == manifest.content_hash);

  MemoryContext bad_rules = service_context();
  bad_rules.file(".dockerignore", "[oops\n");
  CHECK(manifest_error(bad_rules) == ".dockerignore line 1: syntax error in pattern '[oops'");
}

TEST_CASE("build manifest: a missing Dockerfile, one outside the context, a context too large") {
  MemoryContext context = service_context();
  BuildInputs elsewhere;
  elsewhere.dockerfile = "docker/app.Dockerfile";
  CHECK(manifest_error(context, elsewhere) ==
        "Dockerfile not found in the build context: docker/app.Dockerfile");
  BuildInputs directory;
  directory.dockerfile = "src/app";
  CHECK(manifest_error(context, directory).starts_with("Dockerfile not found"));
  BuildInputs outside;
  outside.dockerfile = "../Dockerfile";
  CHECK(manifest_error(context, outside) ==
        "the Dockerfile ../Dockerfile is outside the build context");

  MemoryContext large = service_context();
  large.file("data.bin", std::string(3 * kMebibyte + 1, 'x'));
  CHECK(manifest_error(large, {}, 2 * kMebibyte) ==
        "the build context is 4 MiB, over the 2 MiB limit; exclude what the image does not "
        "need in .dockerignore");
  large.file(".dockerignore", "data.bin\n");
  CHECK(manifest_ok(large, {}, 2 * kMebibyte).files.size() == 5);
  CHECK(manifest_error(service_context(), {}, 10) ==
        "the build context is 62 bytes, over the 10 bytes limit; exclude what the image does "
        "not need in .dockerignore");
}

TEST_CASE("build manifest: an unreadable file, or one whose size changed, is an error naming it") {
  MemoryContext vanished = service_context();
  vanished.change_content_only("src/app/main.py", "longer than the walk said\n");
  CHECK(manifest_error(vanished) == "src/app/main.py changed while the context was read");
}

TEST_CASE("build manifest: changed_files lists added, removed and changed paths, sorted") {
  MemoryContext before = service_context();
  MemoryContext after = service_context();
  after.file("Dockerfile", "FROM alpine:3.20\nCOPY . /app\n");
  after.file("src/app/server.sh", "#!/bin/sh\nexec app\n", false);  // lost its exec bit
  after.remove("src/app/main.py");
  after.file("src/app/new.py", "\n");
  after.link("zz", "current");
  std::vector<std::string> changed = changed_files(manifest_ok(before), manifest_ok(after));
  CHECK(changed == std::vector<std::string>{"Dockerfile", "src/app/main.py", "src/app/new.py",
                                            "src/app/server.sh", "zz"});
  CHECK(changed_files(manifest_ok(before), manifest_ok(service_context())).empty());
}

TEST_CASE("filesystem context: files, links kept as links, exec bits; other kinds skipped") {
  TempDirectory directory;
  directory.write("Dockerfile", "FROM alpine\n");
  directory.write("bin/run.sh", "#!/bin/sh\n", true);
  directory.write("src/a-b/x.txt", "x");
  directory.write("src/a/y.txt", "yy");
  directory.link("latest", "bin/run.sh");
  directory.link("dangling", "/nowhere/at/all");
  std::filesystem::create_directories(directory.at("empty/dir"));
  std::filesystem::create_directories(directory.at(".git/objects"));
  directory.write(".git/HEAD", "ref: refs/heads/main\n");
  directory.write("sub/.git", "gitdir: ../.git/modules/sub\n");
  REQUIRE(::mkfifo(directory.at("queue").c_str(), 0644) == 0);

  FilesystemContext context(directory.path() + "/");
  std::vector<ContextEntry> entries = walk_ok(context);
  CHECK(entries == std::vector<ContextEntry>{
                       {"Dockerfile", EntryType::kFile, false, 12, ""},
                       {"bin/run.sh", EntryType::kFile, true, 10, ""},
                       {"dangling", EntryType::kSymlink, false, 15, "/nowhere/at/all"},
                       {"latest", EntryType::kSymlink, false, 10, "bin/run.sh"},
                       {"src/a-b/x.txt", EntryType::kFile, false, 1, ""},
                       {"src/a/y.txt", EntryType::kFile, false, 2, ""},
                   });
  CHECK(read_ok(context, "bin/run.sh") == "#!/bin/sh\n");
  directory.write("big.bin", std::string(200 * kKibibyte, 'b'));
  CHECK(read_ok(context, "big.bin") == std::string(200 * kKibibyte, 'b'));
}

TEST_CASE("filesystem context: errors name the path") {
  TempDirectory directory;
  FilesystemContext missing(directory.at("nope"));
  Result<std::vector<ContextEntry>> walked = missing.walk();
  REQUIRE_FALSE(walked);
  CHECK(walked.errors().front().message ==
        "cannot read the build context " + directory.at("nope") + ": No such file or directory");

  directory.write("Dockerfile", "FROM alpine\n");
  FilesystemContext context(directory.path());
  Status read = context.read("gone.txt", [](std::string_view) { return true; });
  REQUIRE_FALSE(read);
  CHECK(read.errors().front().message == "cannot read gone.txt: No such file or directory");

  if (::geteuid() == 0) return;  // root reads whatever the modes say
  directory.write("src/app/secret.key", "k");
  std::filesystem::permissions(directory.at("src/app/secret.key"), std::filesystem::perms::none);
  Status denied = context.read("src/app/secret.key", [](std::string_view) { return true; });
  REQUIRE_FALSE(denied);
  CHECK(denied.errors().front().message == "cannot read src/app/secret.key: Permission denied");
  std::filesystem::permissions(directory.at("src/app"), std::filesystem::perms::none);
  Result<std::vector<ContextEntry>> unreadable = context.walk();
  std::filesystem::permissions(directory.at("src/app"), std::filesystem::perms::owner_all);
  REQUIRE_FALSE(unreadable);
  CHECK(unreadable.errors().front().message == "cannot read src/app: Permission denied");
}

TEST_CASE("git context: a commit's tree gives the entries and the hash its directory gives") {
  TempDirectory directory;
  directory.write("README.md", "outside the context\n");
  directory.write("app/Dockerfile", "FROM alpine\nCOPY . /srv\n");
  directory.write("app/.dockerignore", "*.log\n");
  directory.write("app/bin/start.sh", "#!/bin/sh\nexec srv\n", true);
  directory.write("app/src/a-b/x.txt", "x\n");
  directory.write("app/src/a/y.txt", std::string(100 * kKibibyte, 'y'));
  directory.write("app/debug.log", "noise\n");
  directory.link("app/current", "src/a");
  std::string commit = commit_all(directory.path());

  FilesystemContext from_disk(directory.at("app"));
  auto from_git = git_context_ok(directory.path(), commit, "./app/");
  CHECK(from_git->description() == "app/ in commit " + commit.substr(0, 7));
  CHECK(walk_ok(*from_git) == walk_ok(from_disk));
  CHECK(read_ok(*from_git, "src/a/y.txt") == std::string(100 * kKibibyte, 'y'));

  BuildManifest disk_manifest = manifest_ok(from_disk);
  BuildManifest git_manifest = manifest_ok(*from_git);
  CHECK(git_manifest.files == disk_manifest.files);
  CHECK(git_manifest.content_hash == disk_manifest.content_hash);
  std::vector<std::string> paths = paths_of(git_manifest);
  CHECK(std::find(paths.begin(), paths.end(), "debug.log") == paths.end());

  // Packed, a blob is read whole by libgit2 rather than streamed: the same entries and bytes.
  if (std::system(("git -C " + directory.path() + " gc --quiet 2>/dev/null").c_str()) == 0)
    CHECK(manifest_ok(*git_context_ok(directory.path(), commit, "app")) == git_manifest);

  directory.write("app/src/a/y.txt", "edited after the commit\n");
  CHECK(manifest_ok(FilesystemContext(directory.at("app"))).content_hash !=
        git_manifest.content_hash);
  CHECK(manifest_ok(*git_context_ok(directory.at("app/src"), "HEAD", "app")).content_hash ==
        git_manifest.content_hash);
}

TEST_CASE("git context: a context path not in the commit, or not a directory, is an error") {
  TempDirectory directory;
  directory.write("app/Dockerfile", "FROM alpine\n");
  std::string commit = commit_all(directory.path());
  Result<std::unique_ptr<GitContextTree>> missing =
      open_git_context(directory.path(), commit, "web");
  REQUIRE_FALSE(missing);
  CHECK(missing.errors().front().message ==
        "the build context web is not in commit " + commit.substr(0, 7));
  Result<std::unique_ptr<GitContextTree>> file =
      open_git_context(directory.path(), commit, "app/Dockerfile");
  REQUIRE_FALSE(file);
  CHECK(file.errors().front().message ==
        "the build context app/Dockerfile is not a directory in commit " + commit.substr(0, 7));
  Result<std::unique_ptr<GitContextTree>> no_revision =
      open_git_context(directory.path(), "no-such-branch", "app");
  REQUIRE_FALSE(no_revision);
  CHECK(no_revision.errors().front().message.find("no-such-branch") != std::string::npos);

  auto context = git_context_ok(directory.path(), commit, "");
  Status read = context->read("app/missing", [](std::string_view) { return true; });
  REQUIRE_FALSE(read);
  CHECK(read.errors().front().message ==
        "cannot read app/missing: no such file in commit " + commit.substr(0, 7));
}

}  // namespace run::build
