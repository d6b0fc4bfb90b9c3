#include "history/history_store.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "history/record_message.h"
#include "history/result_json.h"

namespace run::history {

namespace {

constexpr int kAppendAttempts = 20;
constexpr const char* kStateFile = "state.json";
constexpr const char* kPlanFile = "plan.json";
constexpr const char* kResultFile = "result.json";

Diagnostic history_error(const std::string& message, const std::string& hint = {}) {
  return make_error(SourceLocation{}, "", message, hint);
}

std::string iso_time(git_time_t seconds) {
  std::time_t time = static_cast<std::time_t>(seconds);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&time));
  return text;
}

/// A ref under refs/run/history/ that is not what run writes there: an error naming it, and
/// how to get rid of it (run never repairs a ref it did not write as it is).
Diagnostic damaged_ref(const std::string& ref, const std::string& what) {
  return history_error(
      ref + " " + what,
      "refs/run/ belongs to run; if this ref was written by hand, delete it: git update-ref -d " +
          ref);
}

/// The tip of an environment's ref: nullopt when the environment has no history.
Result<std::optional<git_oid>> tip_of(git_repository* repository, const std::string& ref) {
  git_oid tip;
  int code = git_reference_name_to_id(&tip, repository, ref.c_str());
  if (code == GIT_ENOTFOUND) return std::optional<git_oid>();
  if (code != 0)
    return history_error(git_error_text("cannot read " + ref),
                         "check it with: git show-ref " + ref);
  return std::optional<git_oid>(tip);
}

/// The commit a ref points at; a ref at a blob, a tree or a tag (git update-ref takes any
/// object) is damaged.
Result<CommitPtr> tip_commit(git_repository* repository, const std::string& ref,
                             const git_oid& tip) {
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repository, &tip, GIT_OBJECT_ANY) != 0)
    return damaged_ref(
        ref, "points at " + oid_text(tip).substr(0, 12) + ", which is missing from the repository");
  ObjectPtr object(raw);
  git_object_t type = git_object_type(object.get());
  if (type != GIT_OBJECT_COMMIT)
    return damaged_ref(ref, "points at a " + std::string(git_object_type2string(type)) + " (" +
                                oid_text(tip).substr(0, 12) + "), not at a deployment record");
  return CommitPtr(reinterpret_cast<git_commit*>(object.release()));
}

Result<RecordSummary> summary_of(git_commit* commit, const std::string& ref) {
  std::string id = oid_text(*git_commit_id(commit));
  Result<RecordSummary> summary = parse_record_message(git_commit_message(commit));
  if (!summary)
    return damaged_ref(ref, "holds commit " + id.substr(0, 12) +
                                ", which is not a deployment record (" +
                                summary.errors().front().message + ")");
  summary->commit = id;
  const git_signature* author = git_commit_author(commit);
  summary->author = std::string(author->name) + " <" + author->email + ">";
  summary->time = iso_time(author->when.time);
  return summary;
}

Result<std::string> blob_text(git_repository* repository, git_tree* tree, const char* name,
                              const std::string& what) {
  const git_tree_entry* entry = git_tree_entry_byname(tree, name);
  if (entry == nullptr || git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
    return history_error(what + " has no " + name + ": the record is damaged");
  git_blob* blob = nullptr;
  if (git_blob_lookup(&blob, repository, git_tree_entry_id(entry)) != 0)
    return history_error(git_error_text("cannot read " + std::string(name) + " of " + what));
  BlobPtr owned(blob);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob)),
                     static_cast<std::size_t>(git_blob_rawsize(blob)));
}

/// Who made the deployment: RUN_ACTOR, else git's user.name and user.email, else "run".
Result<SignaturePtr> author_signature(git_repository* repository, const std::string& actor) {
  std::string who = actor;
  if (who.empty())
    if (const char* from_environment = std::getenv("RUN_ACTOR");
        from_environment && *from_environment)
      who = from_environment;
  git_signature* signature = nullptr;
  if (who.empty() && git_signature_default(&signature, repository) == 0)
    return SignaturePtr(signature);
  if (who.empty()) who = "run";
  std::string name = who;
  std::string email = "run@localhost";
  if (std::size_t open = who.find('<'); open != std::string::npos && who.back() == '>') {
    name = who.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    email = who.substr(open + 1, who.size() - open - 2);
  }
  if (git_signature_now(&signature, name.c_str(), email.c_str()) != 0)
    return history_error(git_error_text("the actor '" + who + "' is not a valid git identity"),
                         "set RUN_ACTOR to 'Name <email>'");
  return SignaturePtr(signature);
}

Result<git_oid> write_blob(git_repository* repository, const std::string& text, const char* name) {
  git_oid id;
  if (git_blob_create_from_buffer(&id, repository, text.data(), text.size()) != 0)
    return history_error(git_error_text("cannot write " + std::string(name)));
  return id;
}

/// The record's tree: state.json, plan.json, result.json.
Result<git_oid> write_tree(git_repository* repository, const NewRecord& record,
                           const std::string& result_json) {
  git_treebuilder* raw = nullptr;
  if (git_treebuilder_new(&raw, repository, nullptr) != 0)
    return history_error(git_error_text("cannot build a tree"));
  TreeBuilderPtr builder(raw);
  const std::pair<const char*, const std::string*> files[] = {{kStateFile, &record.state_json},
                                                              {kPlanFile, &record.plan_json},
                                                              {kResultFile, &result_json}};
  for (const auto& [name, text] : files) {
    Result<git_oid> blob = write_blob(repository, *text, name);
    if (!blob) return blob.errors();
    if (git_treebuilder_insert(nullptr, builder.get(), name, &*blob, GIT_FILEMODE_BLOB) != 0)
      return history_error(git_error_text("cannot add " + std::string(name)));
  }
  git_oid tree;
  if (git_treebuilder_write(&tree, builder.get()) != 0)
    return history_error(git_error_text("cannot write the record's tree"));
  return tree;
}

/// Moves `ref` from `expected` (nullopt: the ref must not exist yet) to `target`. GIT_EMODIFIED,
/// GIT_EEXISTS and GIT_ELOCKED mean another writer got there first.
int move_ref(git_repository* repository, const std::string& ref, const git_oid& target,
             const std::optional<git_oid>& expected, const std::string& log) {
  // The expected value is compared under the ref's lock. For the first record it is the zero
  // id, which means "must not exist yet": git_reference_create(force = 0) checks existence
  // before taking the lock, so two first records could both pass and one would be lost.
  git_oid absent;
  std::memset(&absent, 0, sizeof absent);
  git_reference* moved = nullptr;
  int code = git_reference_create_matching(&moved, repository, ref.c_str(), &target, 1,
                                           expected ? &*expected : &absent, log.c_str());
  git_reference_free(moved);
  return code;
}

bool lost_race(int code) {
  return code == GIT_EMODIFIED || code == GIT_EEXISTS || code == GIT_ELOCKED;
}

/// Writes record `number` as a commit on `parent` (none: the first record), without moving
/// any ref.
Result<git_oid> commit_record(git_repository* repository, const NewRecord& record, int number,
                              const git_commit* parent, const git_signature* author) {
  RecordSummary summary = summary_for(record, number);
  Result<git_oid> tree_id =
      write_tree(repository, record, result_to_json(record.result, number, record.environment));
  if (!tree_id) return tree_id.errors();
  git_tree* tree_raw = nullptr;
  if (git_tree_lookup(&tree_raw, repository, &*tree_id) != 0)
    return history_error(git_error_text("cannot read the new tree"));
  TreePtr tree(tree_raw);
  const git_commit* parents[] = {parent};
  git_oid commit_id;
  std::string message = record_message(summary, record.result);
  if (git_commit_create(&commit_id, repository, nullptr, author, author, "UTF-8", message.c_str(),
                        tree.get(), parent ? 1 : 0, parents) != 0)
    return history_error(git_error_text("cannot write the deployment record"));
  return commit_id;
}

}  // namespace

HistoryStore::HistoryStore(std::optional<Repository> repository, bool inside_project,
                           std::string bare_path)
    : repository_(std::move(repository)),
      inside_project_(inside_project),
      bare_path_(std::move(bare_path)) {}

Result<HistoryStore> HistoryStore::open(const std::string& project_directory, Access access) {
  Result<std::optional<Repository>> found = discover_repository(project_directory);
  if (!found) return found.errors();
  if (*found) {
    std::string relative =
        std::filesystem::relative(project_directory, (*found)->work_tree).generic_string();
    HistoryStore store(std::move(**found), true, "");
    store.project_path_ = relative == "." ? "" : relative;
    return store;
  }
  std::string bare = (std::filesystem::path(project_directory) / ".run" / "history.git").string();
  if (access == Access::kRead && !std::filesystem::exists(bare))
    return HistoryStore(std::nullopt, false, bare);
  Result<Repository> opened = open_or_init_bare(bare);
  if (!opened) return opened.errors();
  return HistoryStore(std::move(*opened), false, bare);
}

std::string HistoryStore::location() const {
  return repository_ ? repository_->git_directory : bare_path_;
}

git_repository* HistoryStore::project_repository() const {
  return inside_project_ ? repository_->handle.get() : nullptr;
}

Result<bool> HistoryStore::has_history(const std::string& environment) const {
  if (!repository_) return false;
  Result<std::optional<git_oid>> tip = tip_of(repository_->handle.get(), ref_name(environment));
  if (!tip) return tip.errors();
  return tip->has_value();
}

Result<std::vector<RecordSummary>> HistoryStore::list(const std::string& environment) const {
  std::vector<RecordSummary> records;
  if (!repository_) return records;
  git_repository* repository = repository_->handle.get();
  std::string ref = ref_name(environment);
  Result<std::optional<git_oid>> tip = tip_of(repository, ref);
  if (!tip) return tip.errors();
  if (!*tip) return records;
  Result<CommitPtr> tip_record = tip_commit(repository, ref, **tip);
  if (!tip_record) return tip_record.errors();
  CommitPtr commit = std::move(*tip_record);
  while (commit) {
    Result<RecordSummary> summary = summary_of(commit.get(), ref);
    if (!summary) return summary.errors();
    if (summary->environment != environment)
      return history_error(
          ref + " holds record " + summary->commit.substr(0, 12) + " of environment '" +
              summary->environment + "'",
          "refs/run/ belongs to run; delete the foreign ref: git update-ref -d " + ref);
    if (!records.empty() && summary->number != records.back().number - 1)
      return damaged_ref(ref, "is not a chain of consecutive records (#" +
                                  std::to_string(records.back().number) + " follows #" +
                                  std::to_string(summary->number) + ")");
    records.push_back(std::move(*summary));
    if (git_commit_parentcount(commit.get()) == 0) break;
    git_commit* parent = nullptr;
    if (git_commit_parent(&parent, commit.get(), 0) != 0)
      return history_error(git_error_text("cannot read the history of " + ref));
    commit.reset(parent);
  }
  if (records.back().number != 1)
    return damaged_ref(
        ref, "starts at record #" + std::to_string(records.back().number) + " instead of #1");
  return records;
}

Result<Record> HistoryStore::read(const std::string& environment, int number) const {
  Result<std::vector<RecordSummary>> records = list(environment);
  if (!records) return records.errors();
  if (records->empty())
    return history_error("environment '" + environment + "' has no deployment records yet",
                         "records are written by 'run apply --env " + environment + "'");
  auto found = std::find_if(records->begin(), records->end(),
                            [&](const RecordSummary& record) { return record.number == number; });
  if (found == records->end())
    return history_error(
        "environment '" + environment + "' has no record #" + std::to_string(number),
        "its records are #1 to #" + std::to_string(records->front().number) +
            "; 'run history --env " + environment + "' lists them");
  return read_files(*found);
}

Result<Record> HistoryStore::read_files(const RecordSummary& summary) const {
  git_repository* repository = repository_->handle.get();
  git_oid id;
  git_oid_fromstr(&id, summary.commit.c_str());
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repository, &id) != 0)
    return history_error(git_error_text("cannot read record " + summary.commit));
  CommitPtr commit(raw);
  git_tree* tree_raw = nullptr;
  if (git_commit_tree(&tree_raw, commit.get()) != 0)
    return history_error(git_error_text("cannot read record " + summary.commit));
  TreePtr tree(tree_raw);
  std::string what = record_name(summary);
  Record record;
  record.summary = summary;
  Result<std::string> state = blob_text(repository, tree.get(), kStateFile, what);
  if (!state) return state.errors();
  Result<std::string> plan = blob_text(repository, tree.get(), kPlanFile, what);
  if (!plan) return plan.errors();
  Result<std::string> result = blob_text(repository, tree.get(), kResultFile, what);
  if (!result) return result.errors();
  record.state_json = std::move(*state);
  record.plan_json = std::move(*plan);
  record.result_json = std::move(*result);
  return record;
}

Result<std::optional<Record>> HistoryStore::last_successful(const std::string& environment) const {
  Result<std::vector<RecordSummary>> records = list(environment);
  if (!records) return records.errors();
  for (const RecordSummary& summary : *records) {
    if (summary.outcome != Outcome::kSucceeded || !is_deployment(summary.kind)) continue;
    Result<Record> record = read_files(summary);
    if (!record) return record.errors();
    return std::optional<Record>(std::move(*record));
  }
  return std::optional<Record>();
}

Result<int> HistoryStore::next_number(const std::string& environment) const {
  if (!repository_) return 1;
  git_repository* repository = repository_->handle.get();
  std::string ref = ref_name(environment);
  Result<std::optional<git_oid>> tip = tip_of(repository, ref);
  if (!tip) return tip.errors();
  if (!*tip) return 1;
  Result<CommitPtr> commit = tip_commit(repository, ref, **tip);
  if (!commit) return commit.errors();
  Result<RecordSummary> summary = summary_of(commit->get(), ref);
  if (!summary) return summary.errors();
  return summary->number + 1;
}

Result<int> HistoryStore::append(const NewRecord& record) {
  Result<int> appended = append_with_retries(record);
  if (appended) return appended;
  // Objects may have been written, but the ref has not moved: the history reads as before.
  Diagnostics errors = appended.errors();
  for (Diagnostic& error : errors)
    if (error.hint.empty())
      error.hint = ref_name(record.environment) +
                   " was left as it was; free space (or fix permissions) in " + location() +
                   " so that the next deployment can be recorded";
  return errors;
}

Result<int> HistoryStore::append_with_retries(const NewRecord& record) {
  if (!repository_) return history_error("the history store was opened for reading only");
  git_repository* repository = repository_->handle.get();
  std::string ref = ref_name(record.environment);
  Result<SignaturePtr> author = author_signature(repository, record.actor);
  if (!author) return author.errors();
  for (int attempt = 0; attempt < kAppendAttempts; ++attempt) {
    Result<std::optional<git_oid>> tip = tip_of(repository, ref);
    if (!tip) return tip.errors();
    Result<int> number = next_number(record.environment);
    if (!number) return number.errors();
    git_commit* parent_raw = nullptr;
    if (*tip && git_commit_lookup(&parent_raw, repository, &**tip) != 0)
      return history_error(git_error_text("cannot read " + ref));
    CommitPtr parent(parent_raw);
    Result<git_oid> commit_id =
        commit_record(repository, record, *number, parent.get(), author->get());
    if (!commit_id) return commit_id.errors();
    int moved =
        move_ref(repository, ref, *commit_id, *tip, "run: record #" + std::to_string(*number));
    if (moved == 0) return *number;
    if (!lost_race(moved)) return history_error(git_error_text("cannot move " + ref));
    // Another writer appended first: build again on top of its record.
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * (attempt + 1)));
  }
  return history_error("could not append to " + ref + " after " + std::to_string(kAppendAttempts) +
                           " attempts: other writers kept moving it",
                       "'run history --env " + record.environment + "' shows what they recorded");
}

Result<std::optional<Record>> HistoryStore::latest(const std::string& environment) const {
  if (!repository_) return std::optional<Record>();
  git_repository* repository = repository_->handle.get();
  std::string ref = ref_name(environment);
  Result<std::optional<git_oid>> tip = tip_of(repository, ref);
  if (!tip) return tip.errors();
  if (!*tip) return std::optional<Record>();
  Result<CommitPtr> commit = tip_commit(repository, ref, **tip);
  if (!commit) return commit.errors();
  Result<RecordSummary> summary = summary_of(commit->get(), ref);
  if (!summary) return summary.errors();
  Result<Record> record = read_files(*summary);
  if (!record) return record.errors();
  return std::optional<Record>(std::move(*record));
}

Status HistoryStore::replace_latest(const NewRecord& record, int number) {
  if (!repository_) return history_error("the history store was opened for reading only");
  git_repository* repository = repository_->handle.get();
  std::string ref = ref_name(record.environment);
  Result<std::optional<git_oid>> tip = tip_of(repository, ref);
  if (!tip) return tip.errors();
  if (!*tip) return history_error(ref + " has no record #" + std::to_string(number) + " to update");
  Result<CommitPtr> current = tip_commit(repository, ref, **tip);
  if (!current) return current.errors();
  Result<RecordSummary> summary = summary_of(current->get(), ref);
  if (!summary) return summary.errors();
  if (summary->number != number)
    return history_error("record #" + std::to_string(number) + " of " + record.environment +
                         " is no longer the newest (#" + std::to_string(summary->number) +
                         " came after it) and was left as it was");
  git_commit* parent_raw = nullptr;
  if (git_commit_parentcount(current->get()) > 0 &&
      git_commit_parent(&parent_raw, current->get(), 0) != 0)
    return history_error(git_error_text("cannot read the history of " + ref));
  CommitPtr parent(parent_raw);
  Result<SignaturePtr> author = author_signature(repository, record.actor);
  if (!author) return author.errors();
  Result<git_oid> commit_id =
      commit_record(repository, record, number, parent.get(), author->get());
  if (!commit_id) return commit_id.errors();
  int moved = move_ref(repository, ref, *commit_id, *tip,
                       "run: record #" + std::to_string(number) + " updated");
  if (moved != 0)
    return history_error(
        git_error_text("cannot update record #" + std::to_string(number) + " in " + ref));
  return ok_status();
}

SourceInfo HistoryStore::source_info() const {
  SourceInfo info;
  if (!inside_project_) return info;
  git_repository* repository = repository_->handle.get();
  git_oid head;
  if (git_reference_name_to_id(&head, repository, "HEAD") != 0) return info;
  info.commit = oid_text(head);
  git_status_options options = GIT_STATUS_OPTIONS_INIT;
  options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  options.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  std::string pathspec = project_path_.empty() ? std::string() : project_path_ + "/";
  char* paths[] = {pathspec.data()};
  if (!pathspec.empty()) options.pathspec = {paths, 1};
  git_status_list* status = nullptr;
  if (git_status_list_new(&status, repository, &options) == 0) {
    info.dirty = git_status_list_entrycount(status) > 0;
    git_status_list_free(status);
  }
  return info;
}

}  // namespace run::history
