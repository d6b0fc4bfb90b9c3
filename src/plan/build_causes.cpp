#include "plan/build_causes.h"

#include <map>
#include <set>

namespace run::plan {

namespace {

/// A plan line stays readable: the first few files, then a count.
constexpr std::size_t kFilesNamed = 5;

using FileIndex = std::map<std::string, const model::BuildFile*>;

FileIndex index_files(const std::vector<model::BuildFile>& files) {
  FileIndex index;
  for (const model::BuildFile& file : files) index.emplace(file.path, &file);
  return index;
}

std::string short_sha(const model::BuildFile* file) {
  if (file == nullptr) return {};
  return (file->symlink ? "link " : file->executable ? "exec " : "") + file->sha256.substr(0, 12);
}

std::optional<std::string> file_state(const FileIndex& index, const std::string& path) {
  auto it = index.find(path);
  if (it == index.end()) return std::nullopt;
  return short_sha(it->second);
}

std::string named_files(const std::vector<std::string>& files) {
  std::string text;
  for (std::size_t i = 0; i < files.size() && i < kFilesNamed; ++i)
    text += (i ? ", " : "") + files[i];
  if (files.size() > kFilesNamed)
    text += " and " + std::to_string(files.size() - kFilesNamed) + " more";
  return text;
}

std::optional<std::string> value_of(const std::map<std::string, std::string>& map,
                                    const std::string& key) {
  auto it = map.find(key);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

std::string shown(const std::optional<std::string>& value) {
  return value ? (value->empty() ? "\"\"" : *value) : "(none)";
}

/// The causes and field changes of one build, against the inputs the record built.
void explain(Action& build, const model::BuildSpec& now, const model::BuildSpec& then) {
  std::vector<std::string> causes;
  std::vector<std::string> files = changed_build_files(then.files, now.files);
  if (!files.empty()) causes.push_back("context changed (" + named_files(files) + ")");
  FileIndex before = index_files(then.files);
  FileIndex after = index_files(now.files);
  for (const std::string& path : files)
    build.changes.push_back(
        FieldChange{"build.context." + path, file_state(before, path), file_state(after, path)});
  std::set<std::string> keys;
  for (const auto& [key, value] : then.args) keys.insert(key);
  for (const auto& [key, value] : now.args) keys.insert(key);
  for (const std::string& key : keys) {
    std::optional<std::string> old_value = value_of(then.args, key);
    std::optional<std::string> new_value = value_of(now.args, key);
    if (old_value == new_value) continue;
    causes.push_back("build arg " + key + ": " + shown(old_value) + " -> " + shown(new_value));
    build.changes.push_back(FieldChange{"build.args." + key, old_value, new_value});
  }
  auto compare = [&](const std::string& field, const std::string& old_value,
                     const std::string& new_value) {
    if (old_value == new_value) return;
    causes.push_back(field + ": " + shown(old_value) + " -> " + shown(new_value));
    build.changes.push_back(FieldChange{"build." + field, old_value, new_value});
  };
  compare("dockerfile", then.dockerfile, now.dockerfile);
  compare("target", then.target, now.target);
  if (causes.empty()) return;  // the same inputs: the image is missing, as the planner said
  build.reason.clear();
  for (const std::string& cause : causes)
    build.reason += (build.reason.empty() ? "" : "; ") + cause;
}

}  // namespace

std::vector<std::string> changed_build_files(const std::vector<model::BuildFile>& before,
                                             const std::vector<model::BuildFile>& after) {
  FileIndex old_files = index_files(before);
  FileIndex new_files = index_files(after);
  std::set<std::string> changed;
  for (const auto& [path, file] : old_files) {
    auto it = new_files.find(path);
    if (it == new_files.end() || !(*it->second == *file)) changed.insert(path);
  }
  for (const auto& [path, file] : new_files)
    if (!old_files.count(path)) changed.insert(path);
  return {changed.begin(), changed.end()};
}

void explain_builds(Plan& plan, const model::DesiredState& desired,
                    const model::DesiredState* recorded) {
  if (recorded == nullptr) return;
  for (Action& action : plan.actions) {
    if (action.kind != ActionKind::kBuild) continue;
    const model::ServiceSpec* now = desired.find_service(action.service);
    const model::ServiceSpec* then = recorded->find_service(action.service);
    if (now == nullptr || !now->build || then == nullptr || !then->build) continue;
    explain(action, *now->build, *then->build);
  }
}

}  // namespace run::plan
