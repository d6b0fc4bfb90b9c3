#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"

namespace run::history {

using JsonValue = rapidjson::Value;

/// Reads one record file strictly and collects every problem in it, each naming the file
/// (`what`, e.g. "record 12 of production: state.json") as its location and the JSON path
/// of the member at fault (`services[3].image`) as its path. A read goes on after an error
/// with a default value, so one pass reports all that is wrong with a file.
class JsonReader {
 public:
  explicit JsonReader(std::string what) : what_(std::move(what)) {}

  /// The document's root object; nullptr, with an error at the line and column of the
  /// fault, when `text` is not JSON (strict: no comments, no trailing text, valid UTF-8)
  /// or its root is not an object.
  const JsonValue* parse(std::string_view text);

  void error(std::string path, std::string message, std::string hint = {});
  bool failed() const { return !errors_.empty(); }
  Diagnostics take_errors() { return std::move(errors_); }

  // Typed reads of one value: on a wrong type, an error naming `path` and a default.
  std::string string(const JsonValue& value, const std::string& path);
  bool boolean(const JsonValue& value, const std::string& path);
  std::int64_t integer(const JsonValue& value, const std::string& path, std::int64_t min,
                       std::int64_t max);
  double number(const JsonValue& value, const std::string& path);
  std::vector<std::string> strings(const JsonValue& value, const std::string& path);
  /// An object of strings; a key that appears twice is an error.
  std::map<std::string, std::string> string_map(const JsonValue& value, const std::string& path);

  struct Item {
    const JsonValue* value;
    std::string path;  ///< "services[2]"
  };
  /// The items of an array, each with its path; none, and an error, when it is no array.
  std::vector<Item> items(const JsonValue& value, const std::string& path);

  struct Entry {
    std::string key;
    const JsonValue* value;
    std::string path;  ///< "services[2].environment.KEY"
  };
  /// The members of an object whose keys are free (a map), each with its path; a key that
  /// appears twice is an error and is left out.
  std::vector<Entry> entries(const JsonValue& value, const std::string& path);

 private:
  std::string what_;
  rapidjson::Document document_;
  Diagnostics errors_;
};

/// Whether the root's `format_version` is `version`. The version decides how the rest is
/// read, so a missing or unknown one is the only error reported, and it says which version
/// this run reads.
bool known_format_version(JsonReader& reader, const JsonValue& root, std::string_view version);

/// The JSON path of member `name` under `path` ("name" at the root).
std::string member_path(const std::string& path, std::string_view name);

/// The JSON type of `value` with its article, for messages: "a string", "null", ...
std::string_view json_type_name(const JsonValue& value);

/// One JSON object whose members are fixed. Opening it reports, at once, a value that is
/// not an object and every unknown, duplicate or missing member; the accessors then only
/// check types, and give a default for a member that is missing (already reported).
/// A nullable member must still be present, as `null`: the files are written with every
/// member, so an absent one means a damaged file, not a default. `optional_members` are those
/// a later version added: a file written before them lacks them, and that is no damage.
class JsonObject {
 public:
  JsonObject(JsonReader& reader, const JsonValue& value, std::string path,
             std::initializer_list<std::string_view> members,
             std::initializer_list<std::string_view> optional_members = {});

  /// The member's value, or nullptr when it is missing (or this is no object).
  const JsonValue* member(std::string_view name) const;
  std::string path_of(std::string_view name) const { return member_path(path_, name); }
  bool is_null(std::string_view name) const;

  std::string string(std::string_view name);
  bool boolean(std::string_view name);
  std::int64_t integer(std::string_view name, std::int64_t min, std::int64_t max);
  double number(std::string_view name);
  std::vector<std::string> strings(std::string_view name);
  std::map<std::string, std::string> string_map(std::string_view name);
  /// `null` gives nullopt.
  std::optional<std::int64_t> optional_integer(std::string_view name, std::int64_t min,
                                               std::int64_t max);
  std::optional<double> optional_number(std::string_view name);
  std::optional<std::vector<std::string>> optional_strings(std::string_view name);

 private:
  void check_members(std::initializer_list<std::string_view> members,
                     std::initializer_list<std::string_view> optional_members);

  JsonReader& reader_;
  const JsonValue* value_ = nullptr;  ///< nullptr when the value is no object
  std::string path_;
};

}  // namespace run::history
