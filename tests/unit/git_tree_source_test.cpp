#include "history/git_tree_source.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config_loader.h"
#include "config/local_files_source.h"
#include "test_support.h"

namespace run::history {

namespace {

namespace fs = std::filesystem;

/// A real git repository in a temporary directory, removed at the end of the test. Files are
/// written to its working tree and committed with everything in it, as `git add -A && git
/// commit` would.
class TempRepository {
 public:
  TempRepository() {
    ensure_libgit2();
    char pattern[] = "/tmp/run-git-tree-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    top_ = pattern;
    git_repository* handle = nullptr;
    REQUIRE(git_repository_init(&handle, top_.c_str(), 0) == 0);
    repository_.reset(handle);
  }
  ~TempRepository() {
    repository_.reset();
    std::error_code ignored;
    fs::remove_all(top_, ignored);
  }

  const std::string& top() const { return top_; }
  std::string at(const std::string& path) const { return top_ + "/" + path; }

  void write(const std::string& path, const std::string& text) const {
    fs::create_directories(fs::path(at(path)).parent_path());
    std::ofstream(at(path), std::ios::binary | std::ios::trunc) << text;
  }

  /// Commits the whole working tree on top of HEAD; returns the commit's id.
  std::string commit(const std::string& message) {
    git_index* raw_index = nullptr;
    REQUIRE(git_repository_index(&raw_index, repository_.get()) == 0);
    IndexPtr index(raw_index);
    REQUIRE(git_index_add_all(index.get(), nullptr, GIT_INDEX_ADD_FORCE, nullptr, nullptr) == 0);
    REQUIRE(git_index_update_all(index.get(), nullptr, nullptr, nullptr) == 0);
    REQUIRE(git_index_write(index.get()) == 0);
    git_oid tree_id;
    REQUIRE(git_index_write_tree(&tree_id, index.get()) == 0);
    git_tree* raw_tree = nullptr;
    REQUIRE(git_tree_lookup(&raw_tree, repository_.get(), &tree_id) == 0);
    TreePtr tree(raw_tree);
    git_signature* raw_signature = nullptr;
    REQUIRE(git_signature_now(&raw_signature, "Test", "test@example.com") == 0);
    SignaturePtr signature(raw_signature);
    CommitPtr parent;
    git_object* head = nullptr;
    if (git_revparse_single(&head, repository_.get(), "HEAD") == 0)
      parent.reset(reinterpret_cast<git_commit*>(head));
    const git_commit* parents[] = {parent.get()};
    git_oid commit_id;
    REQUIRE(git_commit_create(&commit_id, repository_.get(), "HEAD", signature.get(),
                              signature.get(), nullptr, message.c_str(), tree.get(), parent ? 1 : 0,
                              parent ? parents : nullptr) == 0);
    return oid_text(commit_id);
  }

  /// How many paths `git status` would list (untracked included).
  std::size_t status_count() const {
    git_status_options options = GIT_STATUS_OPTIONS_INIT;
    options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED;
    git_status_list* list = nullptr;
    REQUIRE(git_status_list_new(&list, repository_.get(), &options) == 0);
    std::size_t count = git_status_list_entrycount(list);
    git_status_list_free(list);
    return count;
  }

 private:
  std::string top_;
  RepositoryPtr repository_;
};

std::unique_ptr<GitTreeSource> open_ok(const std::string& directory, const std::string& revision) {
  Result<std::unique_ptr<GitTreeSource>> source = open_revision_source(directory, revision);
  if (!source) FAIL("unexpected error: " << format_diagnostic(source.errors().front()));
  return std::move(*source);
}

std::string open_error(const std::string& directory, const std::string& revision) {
  Result<std::unique_ptr<GitTreeSource>> source = open_revision_source(directory, revision);
  REQUIRE_FALSE(source);
  return format_diagnostic(source.errors().front());
}

std::string read_ok(const GitTreeSource& source, const std::string& path) {
  Result<std::string> text = source.read(path);
  if (!text) FAIL("unexpected error: " << format_diagnostic(text.errors().front()));
  return *text;
}

std::string read_error(const GitTreeSource& source, const std::string& path) {
  Result<std::string> text = source.read(path);
  REQUIRE_FALSE(text);
  return format_diagnostic(text.errors().front());
}

}  // namespace

TEST_CASE(
    "git tree source: reads each commit's version of a file, and the working tree stays as it "
    "was") {
  TempRepository repository;
  repository.write("run-config.yaml", "project: one\n");
  repository.write("environments/dev.yaml", "replicas: 1\n");
  std::string first = repository.commit("first");
  repository.write("run-config.yaml", "project: two\n");
  std::string second = repository.commit("second");
  repository.write("run-config.yaml", "project: uncommitted\n");
  std::size_t status_before = repository.status_count();

  auto old_source = open_ok(repository.top(), "HEAD~1");
  CHECK(read_ok(*old_source, "run-config.yaml") == "project: one\n");
  CHECK(read_ok(*old_source, "environments/dev.yaml") == "replicas: 1\n");
  CHECK(read_ok(*old_source, "./environments//dev.yaml") == "replicas: 1\n");
  CHECK(old_source->revision().revision == "HEAD~1");
  CHECK(old_source->revision().commit_id == first);
  CHECK(old_source->revision().short_id.size() >= 7);
  CHECK(first.starts_with(old_source->revision().short_id));
  CHECK(old_source->root_path().empty());

  auto new_source = open_ok(repository.top(), second);
  CHECK(read_ok(*new_source, "run-config.yaml") == "project: two\n");
  CHECK(new_source->revision().commit_id == second);

  std::ifstream working(repository.at("run-config.yaml"));
  CHECK(std::string(std::istreambuf_iterator<char>(working), {}) == "project: uncommitted\n");
  CHECK(repository.status_count() == status_before);
}

TEST_CASE("git tree source: a project in a subdirectory is rooted there") {
  TempRepository repository;
  repository.write("README", "top\n");
  repository.commit("before the project");
  repository.write("examples/minimal/run-config.yaml", "project: minimal\n");
  repository.write("examples/minimal/environments/production.yaml", "x: 1\n");
  repository.write("examples/minimal/environments/dev.yaml", "x: 2\n");
  repository.write("examples/minimal/environments/nested/deep.yaml", "x: 3\n");
  repository.commit("the project");

  auto source = open_ok(repository.at("examples/minimal"), "HEAD");
  CHECK(source->root_path() == "examples/minimal");
  CHECK(read_ok(*source, "run-config.yaml") == "project: minimal\n");
  CHECK(source->exists("environments/dev.yaml"));
  CHECK_FALSE(source->exists("README"));
  CHECK_FALSE(source->exists("../../README"));
  CHECK(read_error(*source, "../../README").find("no such file") != std::string::npos);
  CHECK(source->list("environments") == std::vector<std::string>{"dev.yaml", "production.yaml"});
  CHECK(source->list("") == std::vector<std::string>{"run-config.yaml"});
  CHECK(source->list("missing").empty());
  CHECK(source->list("run-config.yaml").empty());

  std::string error = open_error(repository.at("examples/minimal"), "HEAD~1");
  CHECK(error.find("the project's directory examples/minimal is not in revision HEAD~1 (") !=
        std::string::npos);
  CHECK(error.find("git log --oneline -- examples/minimal") != std::string::npos);
}

TEST_CASE(
    "git tree source: a missing file, a directory and a symbolic link are errors that name the "
    "path") {
  TempRepository repository;
  repository.write("run-config.yaml", "project: demo\n");
  repository.write("environments/dev.yaml", "{}\n");
  REQUIRE(::symlink("run-config.yaml", repository.at("link.yaml").c_str()) == 0);
  repository.commit("files");
  auto source = open_ok(repository.top(), "HEAD");
  auto short_id = source->revision().short_id;

  CHECK(read_error(*source, "environments/prod.yaml") ==
        "environments/prod.yaml: error: cannot read: no such file in revision HEAD (" + short_id +
            ")");
  CHECK_FALSE(source->exists("environments/prod.yaml"));
  CHECK(read_error(*source, "environments") == "environments: error: is a directory, not a file");
  CHECK(source->exists("environments"));
  CHECK(
      read_error(*source, "link.yaml").starts_with("link.yaml: error: is a symbolic link in git"));
  CHECK(source->list("") == std::vector<std::string>{"run-config.yaml"});
}

TEST_CASE(
    "git tree source: an executable file is a regular file; a file over the limit is refused") {
  TempRepository repository;
  repository.write("run-config.yaml", "project: demo\n");
  repository.write("tool.sh", "#!/bin/sh\n");
  fs::permissions(repository.at("tool.sh"), fs::perms::owner_exec, fs::perm_options::add);
  repository.write("huge.yaml", std::string(config::kMaxConfigFileBytes + 1, '#'));
  repository.commit("files");
  auto source = open_ok(repository.top(), "HEAD");

  CHECK(read_ok(*source, "tool.sh") == "#!/bin/sh\n");
  CHECK(source->list("") == std::vector<std::string>{"huge.yaml", "run-config.yaml", "tool.sh"});
  CHECK(read_error(*source, "huge.yaml") ==
        "huge.yaml: error: file is too large (16777217 bytes; the limit is 16777216)");
}

TEST_CASE(
    "git tree source: a revision that does not exist, and a directory outside any repository, are "
    "clear errors") {
  TempRepository repository;
  repository.write("run-config.yaml", "project: demo\n");
  repository.commit("first");
  CHECK(open_error(repository.top(), "no-such-branch")
            .starts_with("error: revision 'no-such-branch' does not exist"));
  CHECK(open_error(repository.top(), "HEAD~5")
            .starts_with("error: revision 'HEAD~5' does not exist"));

  char pattern[] = "/tmp/run-no-git-XXXXXX";
  REQUIRE(::mkdtemp(pattern) != nullptr);
  std::string error = open_error(pattern, "HEAD");
  fs::remove_all(pattern);
  CHECK(error.find("is not in a git repository") != std::string::npos);
}

TEST_CASE(
    "git tree source: with the local files beside it, a revision's config takes .env and secrets "
    "from the working tree") {
  TempRepository repository;
  repository.write("run-config.yaml",
                   "version: \"2\"\nproject: demo\nservices:\n  app:\n    image: \"app:${TAG}\"\n"
                   "    env: { PASSWORD: \"${secret:PASSWORD}\" }\nenvironments:\n  dev: {}\n");
  repository.write(".env", "TAG=committed\n");
  repository.commit("first");
  repository.write(".env", "TAG=local\n");
  repository.write(".run/secrets/dev.env", "PASSWORD=hunter2\n");

  auto committed = open_ok(repository.top(), "HEAD");
  config::LocalFilesSource files(std::move(committed),
                                 std::make_unique<config::FilesystemSource>(repository.top()));
  config::LoadRequest request;
  request.display_prefix = "HEAD:";
  Result<config::LoadedConfig> loaded = config::load_config(files, request);
  if (!loaded) FAIL(format_diagnostic(loaded.errors().front()));
  CHECK(test::text_at(loaded->merged, "services.app.image") == "app:local");
  const model::Node* password =
      model::lookup(loaded->merged, {"services", "app", "env", "PASSWORD"});
  REQUIRE(password);
  CHECK(password->sensitive);
  CHECK(password->text == "hunter2");
  CHECK(loaded->merged.find("project")->location.to_string() == "HEAD:run-config.yaml:2:10");
}

TEST_CASE("local files source: .env and .run/ are local, everything else is committed") {
  CHECK(config::is_local_only_path(".env"));
  CHECK(config::is_local_only_path("./.env"));
  CHECK(config::is_local_only_path(".run/secrets/dev.env"));
  CHECK(config::is_local_only_path(".run"));
  CHECK_FALSE(config::is_local_only_path("run-config.yaml"));
  CHECK_FALSE(config::is_local_only_path("environments/.env"));
  CHECK_FALSE(config::is_local_only_path(".envrc"));
  CHECK_FALSE(config::is_local_only_path(".running"));
}

}  // namespace run::history
