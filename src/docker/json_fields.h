#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace run::docker {

/// A string member of a JSON object; empty when absent or not a string (Docker omits empty
/// fields, so absent and empty mean the same to us).
std::string string_member(const rapidjson::Value& object, const char* name);

/// A member of a JSON object; nullptr when absent or `object` is not an object. Every reader of
/// Docker's answers goes through these: a daemon (or anything on its port) may send any JSON.
const rapidjson::Value* member_of(const rapidjson::Value& object, const char* name);

/// An integer member; `fallback` when absent or not an integer.
std::int64_t integer_member(const rapidjson::Value& object, const char* name,
                            std::int64_t fallback = 0);

/// The string values of an object member ({"a":"1"}: labels); others are left out.
std::map<std::string, std::string> string_map_member(const rapidjson::Value& object,
                                                     const char* name);

/// The strings of an array member; others are left out.
std::vector<std::string> strings_member(const rapidjson::Value& object, const char* name);

/// {"key":"value",...} for labels and other string maps in request bodies.
std::string json_string_map(const std::map<std::string, std::string>& values);

/// ["a","b"] for command lines and lists in request bodies.
std::string json_string_list(const std::vector<std::string>& items);

}  // namespace run::docker
