#include "history/history_store.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "history/record_message.h"
#include "history/result_json.h"

namespace run::history {

namespace {

namespace fs = std::filesystem;

/// A project directory under /tmp, removed at the end of the test; a git repository when asked.
class TempProject {
 public:
  explicit TempProject(bool with_git) {
    ensure_libgit2();
    char pattern[] = "/tmp/run-history-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    directory_ = pattern;
    if (with_git) {
      git_repository* handle = nullptr;
      REQUIRE(git_repository_init(&handle, directory_.c_str(), 0) == 0);
      git_repository_free(handle);
    }
  }
  ~TempProject() {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_;
};

NewRecord sample_record(const std::string& environment, Outcome outcome = Outcome::kSucceeded) {
  NewRecord record;
  record.environment = environment;
  record.state_json = "{\"format_version\": \"1\"}\n";
  record.plan_json = "{\"format_version\": \"1\"}\n";
  record.result.outcome = outcome;
  record.result.summary = "1 to add, 0 to change, 0 to replace, 0 to start, 0 to remove";
  record.result.actions.push_back({"create", "container", "demo-dev-app-1", "done", "", 0.5});
  record.actor = "Ann Example <ann@example.com>";
  return record;
}

HistoryStore open_for_writing(const std::string& directory) {
  Result<HistoryStore> store = HistoryStore::open(directory, HistoryStore::Access::kWrite);
  REQUIRE(store);
  return std::move(*store);
}

}  // namespace

TEST_CASE("history: records are numbered per environment, newest first, with their files") {
  TempProject project(true);
  HistoryStore store = open_for_writing(project.directory());
  CHECK(store.list("dev")->empty());
  CHECK(*store.next_number("dev") == 1);
  CHECK(*store.append(sample_record("dev")) == 1);
  CHECK(*store.append(sample_record("dev", Outcome::kFailed)) == 2);
  CHECK(*store.append(sample_record("prod")) == 1);
  Result<std::vector<RecordSummary>> records = store.list("dev");
  REQUIRE(records);
  REQUIRE(records->size() == 2);
  CHECK((*records)[0].number == 2);
  CHECK((*records)[0].outcome == Outcome::kFailed);
  CHECK((*records)[1].number == 1);
  CHECK((*records)[1].author == "Ann Example <ann@example.com>");
  CHECK((*records)[1].summary ==
        "apply succeeded: 1 to add, 0 to change, 0 to replace, 0 to start, 0 to remove");
  Result<Record> first = store.read("dev", 1);
  REQUIRE(first);
  CHECK(first->state_json == "{\"format_version\": \"1\"}\n");
  CHECK(result_from_json(first->result_json, "result.json"));
  Result<std::optional<Record>> last = store.last_successful("dev");
  REQUIRE(last);
  REQUIRE(*last);
  CHECK((*last)->summary.number == 1);  // #2 failed
}

TEST_CASE("history: a record that does not exist names the ones that do") {
  TempProject project(true);
  HistoryStore store = open_for_writing(project.directory());
  REQUIRE(store.append(sample_record("dev")));
  Result<Record> missing = store.read("dev", 7);
  REQUIRE_FALSE(missing);
  CHECK(missing.errors().front().message == "environment 'dev' has no record #7");
  CHECK(missing.errors().front().hint.find("#1 to #1") != std::string::npos);
  Result<Record> none = store.read("prod", 1);
  REQUIRE_FALSE(none);
  CHECK(none.errors().front().message == "environment 'prod' has no deployment records yet");
}

TEST_CASE("history: writers racing on one environment lose no record") {
  TempProject project(true);
  constexpr int kWriters = 4;
  constexpr int kEach = 8;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int writer = 0; writer < kWriters; ++writer) {
    writers.emplace_back([&] {
      // Each writer opens its own repository handle, as separate processes would.
      Result<HistoryStore> store =
          HistoryStore::open(project.directory(), HistoryStore::Access::kWrite);
      if (!store) {
        ++failures;
        return;
      }
      for (int i = 0; i < kEach; ++i)
        if (!store->append(sample_record("dev"))) ++failures;
    });
  }
  for (std::thread& writer : writers) writer.join();
  CHECK(failures == 0);
  Result<HistoryStore> reader = HistoryStore::open(project.directory());
  REQUIRE(reader);
  Result<std::vector<RecordSummary>> records = reader->list("dev");
  REQUIRE(records);
  REQUIRE(records->size() == kWriters * kEach);
  for (std::size_t i = 0; i < records->size(); ++i)
    CHECK((*records)[i].number == static_cast<int>(records->size() - i));
}

TEST_CASE("history: outside git, records go to .run/history.git, and reading creates nothing") {
  TempProject project(false);
  Result<HistoryStore> reader = HistoryStore::open(project.directory());
  REQUIRE(reader);
  CHECK(reader->list("dev")->empty());
  CHECK_FALSE(fs::exists(project.directory() + "/.run"));
  HistoryStore store = open_for_writing(project.directory());
  CHECK(*store.append(sample_record("dev")) == 1);
  CHECK(fs::exists(project.directory() + "/.run/history.git/HEAD"));
  CHECK(store.source_info().commit.empty());
  CHECK(HistoryStore::open(project.directory())->list("dev")->size() == 1);
}

TEST_CASE("history: the commit message reads in git log and parses back") {
  NewRecord record = sample_record("production");
  record.result.kind = RecordKind::kRollback;
  record.result.rollback_of = 10;
  record.result.source = {"0123456789abcdef0123456789abcdef01234567", true, ""};
  record.result.actions.push_back(
      {"replace", "container", "demo-production-db-1", "failed", "port is taken", 1.5});
  RecordSummary summary = summary_for(record, 12);
  std::string message = record_message(summary, record.result);
  CHECK(
      message.starts_with("production #12: rollback to #10 succeeded: 1 to add, 0 to change, 0 to "
                          "replace, 0 to start, 0 to remove\n\n"
                          "Config: 0123456789ab (with uncommitted changes)\n"));
  CHECK(message.find("  failed: replace container demo-production-db-1 (port is taken)\n") !=
        std::string::npos);
  Result<RecordSummary> parsed = parse_record_message(message);
  REQUIRE(parsed);
  CHECK(parsed->number == 12);
  CHECK(parsed->environment == "production");
  CHECK(parsed->kind == RecordKind::kRollback);
  CHECK(parsed->rollback_of == 10);
  CHECK(parsed->source_dirty);
  CHECK(parsed->summary == summary.summary);
  CHECK_FALSE(parse_record_message("an ordinary commit\n\nSigned-off-by: someone\n"));
}

TEST_CASE("history: listing 1,000 records takes well under a second") {
  TempProject project(true);
  HistoryStore store = open_for_writing(project.directory());
  for (int i = 0; i < 1000; ++i) REQUIRE(store.append(sample_record("dev")));
  auto started = std::chrono::steady_clock::now();
  Result<std::vector<RecordSummary>> records = store.list("dev");
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(records);
  CHECK(records->size() == 1000);
  MESSAGE("listing 1,000 records: " << seconds * 1000 << " ms");
  CHECK(seconds < 1.0);
}

}  // namespace run::history
