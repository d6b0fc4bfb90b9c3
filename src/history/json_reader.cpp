#include "history/json_reader.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <limits>
#include <set>

#include "core/did_you_mean.h"

namespace run::history {

namespace {

std::string_view key_of(const JsonValue::ConstMemberIterator& member) {
  return {member->name.GetString(), member->name.GetStringLength()};
}

/// The 1-based line and column of byte `offset` of `text`, for a parse error.
SourceLocation location_at(const std::string& file, std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::string_view before = text.substr(0, offset);
  std::size_t line_start = before.rfind('\n');
  int line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
  int column =
      static_cast<int>(line_start == std::string_view::npos ? offset + 1 : offset - line_start);
  return SourceLocation{file, line, column};
}

/// A number as written (RapidJSON's shortest form), else the value's type: "found 1.5".
std::string found_text(const JsonValue& value) {
  if (!value.IsNumber()) return std::string(json_type_name(value));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string member_path(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

std::string_view json_type_name(const JsonValue& value) {
  if (value.IsNull()) return "null";
  if (value.IsBool()) return "a boolean";
  if (value.IsNumber()) return "a number";
  if (value.IsString()) return "a string";
  if (value.IsArray()) return "an array";
  return "an object";
}

bool known_format_version(JsonReader& reader, const JsonValue& root, std::string_view version) {
  auto member = root.FindMember("format_version");
  if (member == root.MemberEnd()) {
    reader.error("format_version", "required member is missing", "was this file written by run?");
    return false;
  }
  if (!member->value.IsString()) {
    reader.string(member->value, "format_version");  // reports the wrong type
    return false;
  }
  std::string text = reader.string(member->value, "format_version");
  if (text == version) return true;
  reader.error("format_version", "format_version '" + text + "' is not one this run reads",
               "this run reads format_version " + std::string(version) +
                   "; a newer run wrote this record, so read it with that version");
  return false;
}

// ---- JsonReader ---------------------------------------------------------------------------

const JsonValue* JsonReader::parse(std::string_view text) {
  // Iterative: a hostile file nested a million deep cannot exhaust the stack.
  constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseFullPrecisionFlag | rapidjson::kParseIterativeFlag;
  document_.Parse<kFlags>(text.data(), text.size());
  if (document_.HasParseError()) {
    std::string reason = rapidjson::GetParseError_En(document_.GetParseError());
    if (!reason.empty() && reason.back() == '.') reason.pop_back();
    errors_.push_back(make_error(location_at(what_, text, document_.GetErrorOffset()), "",
                                 "not valid JSON: " + reason,
                                 "the record file is damaged; was it edited by hand?"));
    return nullptr;
  }
  if (!document_.IsObject()) {
    error("", "expected a JSON object, found " + std::string(json_type_name(document_)));
    return nullptr;
  }
  return &document_;
}

void JsonReader::error(std::string path, std::string message, std::string hint) {
  errors_.push_back(make_error(SourceLocation{what_, 0, 0}, std::move(path), std::move(message),
                               std::move(hint)));
}

std::string JsonReader::string(const JsonValue& value, const std::string& path) {
  if (value.IsString()) return {value.GetString(), value.GetStringLength()};
  error(path, "expected a string, found " + std::string(json_type_name(value)));
  return {};
}

bool JsonReader::boolean(const JsonValue& value, const std::string& path) {
  if (value.IsBool()) return value.GetBool();
  error(path, "expected true or false, found " + std::string(json_type_name(value)));
  return false;
}

std::int64_t JsonReader::integer(const JsonValue& value, const std::string& path, std::int64_t min,
                                 std::int64_t max) {
  bool unbounded = max == std::numeric_limits<std::int64_t>::max();
  std::string range = unbounded
                          ? "an integer of at least " + std::to_string(min)
                          : "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (value.IsInt64() && value.GetInt64() >= min && value.GetInt64() <= max)
    return value.GetInt64();
  error(path, "expected " + range + ", found " + found_text(value));
  return min;
}

double JsonReader::number(const JsonValue& value, const std::string& path) {
  if (value.IsNumber()) return value.GetDouble();
  error(path, "expected a number, found " + std::string(json_type_name(value)));
  return 0;
}

std::vector<std::string> JsonReader::strings(const JsonValue& value, const std::string& path) {
  std::vector<std::string> texts;
  for (const Item& item : items(value, path)) texts.push_back(string(*item.value, item.path));
  return texts;
}

std::map<std::string, std::string> JsonReader::string_map(const JsonValue& value,
                                                          const std::string& path) {
  std::map<std::string, std::string> map;
  for (const Entry& entry : entries(value, path)) map[entry.key] = string(*entry.value, entry.path);
  return map;
}

std::vector<JsonReader::Item> JsonReader::items(const JsonValue& value, const std::string& path) {
  std::vector<Item> list;
  if (!value.IsArray()) {
    error(path, "expected an array, found " + std::string(json_type_name(value)));
    return list;
  }
  list.reserve(value.Size());
  for (rapidjson::SizeType i = 0; i < value.Size(); ++i)
    list.push_back({&value[i], path + "[" + std::to_string(i) + "]"});
  return list;
}

std::vector<JsonReader::Entry> JsonReader::entries(const JsonValue& value,
                                                   const std::string& path) {
  std::vector<Entry> list;
  if (!value.IsObject()) {
    error(path, "expected an object, found " + std::string(json_type_name(value)));
    return list;
  }
  std::set<std::string_view> seen;
  for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
    std::string_view key = key_of(member);
    std::string entry_path = member_path(path, key);
    if (!seen.insert(key).second) {
      error(entry_path, "key appears more than once");
      continue;
    }
    list.push_back({std::string(key), &member->value, std::move(entry_path)});
  }
  return list;
}

// ---- JsonObject ---------------------------------------------------------------------------

JsonObject::JsonObject(JsonReader& reader, const JsonValue& value, std::string path,
                       std::initializer_list<std::string_view> members,
                       std::initializer_list<std::string_view> optional_members)
    : reader_(reader), path_(std::move(path)) {
  if (!value.IsObject()) {
    reader_.error(path_, "expected an object, found " + std::string(json_type_name(value)));
    return;
  }
  value_ = &value;
  check_members(members, optional_members);
}

void JsonObject::check_members(std::initializer_list<std::string_view> members,
                               std::initializer_list<std::string_view> optional_members) {
  auto known = [&](std::string_view key) {
    return std::find(members.begin(), members.end(), key) != members.end() ||
           std::find(optional_members.begin(), optional_members.end(), key) !=
               optional_members.end();
  };
  std::set<std::string_view> seen;
  for (auto member = value_->MemberBegin(); member != value_->MemberEnd(); ++member) {
    std::string_view key = key_of(member);
    if (!known(key)) {
      reader_.error(path_of(key), "unknown member",
                    did_you_mean(key, std::vector<std::string>(members.begin(), members.end())));
      continue;
    }
    if (!seen.insert(key).second) reader_.error(path_of(key), "member appears more than once");
  }
  for (std::string_view name : members)
    if (!seen.contains(name)) reader_.error(path_of(name), "required member is missing");
}

const JsonValue* JsonObject::member(std::string_view name) const {
  if (value_ == nullptr) return nullptr;
  auto found = value_->FindMember(rapidjson::StringRef(name.data(), name.size()));
  return found == value_->MemberEnd() ? nullptr : &found->value;
}

bool JsonObject::is_null(std::string_view name) const {
  const JsonValue* value = member(name);
  return value == nullptr || value->IsNull();
}

std::string JsonObject::string(std::string_view name) {
  const JsonValue* value = member(name);
  return value ? reader_.string(*value, path_of(name)) : std::string();
}

bool JsonObject::boolean(std::string_view name) {
  const JsonValue* value = member(name);
  return value ? reader_.boolean(*value, path_of(name)) : false;
}

std::int64_t JsonObject::integer(std::string_view name, std::int64_t min, std::int64_t max) {
  const JsonValue* value = member(name);
  return value ? reader_.integer(*value, path_of(name), min, max) : min;
}

double JsonObject::number(std::string_view name) {
  const JsonValue* value = member(name);
  return value ? reader_.number(*value, path_of(name)) : 0;
}

std::vector<std::string> JsonObject::strings(std::string_view name) {
  const JsonValue* value = member(name);
  return value ? reader_.strings(*value, path_of(name)) : std::vector<std::string>();
}

std::map<std::string, std::string> JsonObject::string_map(std::string_view name) {
  const JsonValue* value = member(name);
  return value ? reader_.string_map(*value, path_of(name)) : std::map<std::string, std::string>();
}

std::optional<std::int64_t> JsonObject::optional_integer(std::string_view name, std::int64_t min,
                                                         std::int64_t max) {
  if (is_null(name)) return std::nullopt;
  return integer(name, min, max);
}

std::optional<double> JsonObject::optional_number(std::string_view name) {
  if (is_null(name)) return std::nullopt;
  return number(name);
}

std::optional<std::vector<std::string>> JsonObject::optional_strings(std::string_view name) {
  if (is_null(name)) return std::nullopt;
  return strings(name);
}

}  // namespace run::history
