#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

namespace run::docker {

/// A string member of a JSON object; empty when absent or not a string (Docker omits empty
/// fields, so absent and empty mean the same to us).
std::string string_member(const rapidjson::Value& object, const char* name);

/// {"key":"value",...} for labels and other string maps in request bodies.
std::string json_string_map(const std::map<std::string, std::string>& values);

/// ["a","b"] for command lines and lists in request bodies.
std::string json_string_list(const std::vector<std::string>& items);

}  // namespace run::docker
