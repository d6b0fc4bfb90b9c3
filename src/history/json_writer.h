#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace run::history {

/// Pretty JSON (two-space indent) with members in the order they are written. Record files
/// are read by people in `git show` and compared with `git diff`, so their order is fixed
/// by the code that writes them, never by a container. The methods are named after the JSON
/// type they write, so a string literal can never turn into a boolean by overload.
class JsonWriter {
 public:
  JsonWriter() : writer_(buffer_) { writer_.SetIndent(' ', 2); }

  void begin_object() { writer_.StartObject(); }
  void end_object() { writer_.EndObject(); }
  void begin_array() { writer_.StartArray(); }
  void end_array() { writer_.EndArray(); }
  void key(std::string_view name) {
    writer_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()), true);
  }

  void string(std::string_view text) {
    writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()), true);
  }
  void boolean(bool value) { writer_.Bool(value); }
  void integer(std::int64_t value) { writer_.Int64(value); }
  /// The shortest text that reads back as the same double ("0.5", "2.0").
  void number(double value) { writer_.Double(value); }
  void null() { writer_.Null(); }

  void string_member(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  void boolean_member(std::string_view name, bool value) {
    key(name);
    boolean(value);
  }
  void integer_member(std::string_view name, std::int64_t value) {
    key(name);
    integer(value);
  }
  void number_member(std::string_view name, double value) {
    key(name);
    number(value);
  }

  void strings_member(std::string_view name, const std::vector<std::string>& items) {
    key(name);
    begin_array();
    for (const std::string& item : items) string(item);
    end_array();
  }

  /// A map's entries in key order (std::map sorts them).
  void string_map_member(std::string_view name, const std::map<std::string, std::string>& entries) {
    key(name);
    begin_object();
    for (const auto& [entry_key, value] : entries) string_member(entry_key, value);
    end_object();
  }

  /// The document written so far, with a final newline (a text file in git).
  std::string text() const { return std::string(buffer_.GetString(), buffer_.GetSize()) + "\n"; }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer_;
};

}  // namespace run::history
