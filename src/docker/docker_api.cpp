#include "docker/docker_api.h"

#include <rapidjson/document.h>

#include <cctype>

#include "core/json_text.h"

namespace run::docker {

namespace {

/// Docker answers errors as {"message": "..."}; fall back to the raw body.
std::string docker_message(const std::string& body) {
  rapidjson::Document json;
  json.Parse(body.c_str(), body.size());
  if (!json.HasParseError() && json.IsObject() && json.HasMember("message") &&
      json["message"].IsString())
    return json["message"].GetString();
  std::string text = body.substr(0, 200);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text.empty() ? "(no message)" : text;
}

}  // namespace

Result<std::string> expect_success(const Result<DockerResponse>& response, std::string_view method,
                                   const std::string& path, const DockerApi& api) {
  if (!response) return response.errors();
  if (response->status >= 200 && response->status < 300) return response->body;
  std::string request = std::string(method) + " " + path.substr(0, path.find('?'));
  return make_error(SourceLocation{}, "",
                    "Docker at " + api.endpoint() + " refused " + request + " (HTTP " +
                        std::to_string(response->status) + "): " + docker_message(response->body));
}

std::string url_encode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool plain = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
      continue;
    }
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string filters_query(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& filters) {
  std::string json = "{";
  for (const auto& [key, values] : filters) {
    if (json.size() > 1) json += ",";
    json += json_quote(key) + ":[";
    for (std::size_t i = 0; i < values.size(); ++i) json += (i ? "," : "") + json_quote(values[i]);
    json += "]";
  }
  return url_encode(json + "}");
}

std::string stream_error(std::string_view body) {
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string line(body.substr(start, end - start));
    start = end + 1;
    rapidjson::Document json;
    json.Parse(line.c_str(), line.size());
    if (json.HasParseError() || !json.IsObject()) continue;
    if (json.HasMember("error") && json["error"].IsString()) return json["error"].GetString();
    if (json.HasMember("errorDetail") && json["errorDetail"].IsObject() &&
        json["errorDetail"].HasMember("message") && json["errorDetail"]["message"].IsString())
      return json["errorDetail"]["message"].GetString();
  }
  return {};
}

}  // namespace run::docker
