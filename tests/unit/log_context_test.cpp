#include <doctest/doctest.h>

#include <rapidjson/document.h>
#include <rapidjson/encodings.h>

#include <string>

#include "core/log_context.h"

// The process-wide log context and the JSON log line `--log-format json` writes.

namespace run {

namespace {

constexpr std::string_view kTime = "2026-11-29T07:30:00.123Z";

/// Parses `line` strictly (UTF-8 checked); fails the test when it is not one JSON object.
rapidjson::Document parse_line(const std::string& line) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(line.c_str(), line.size());
  REQUIRE_FALSE(document.HasParseError());
  REQUIRE(document.IsObject());
  return document;
}

LogContextValues values(std::optional<std::string> run_id, std::optional<std::string> reconcile_id,
                        std::optional<std::string> environment, std::optional<std::string> commit) {
  return {std::move(run_id), std::move(reconcile_id), std::move(environment), std::move(commit)};
}

}  // namespace

TEST_CASE("log context: a JSON log line has every key, in order, with null for an unset field") {
  std::string line =
      json_log_line(kTime, "info", "applied 2 actions", values("a1b2c3d4e5f60718", {}, "dev", {}));
  CHECK(line ==
        "{\"time\":\"2026-11-29T07:30:00.123Z\",\"level\":\"info\",\"msg\":\"applied 2 actions\","
        "\"run_id\":\"a1b2c3d4e5f60718\",\"reconcile_id\":null,\"env\":\"dev\",\"commit\":null}\n");
  std::string all_null = json_log_line(kTime, "warning", "", LogContextValues{});
  CHECK(all_null ==
        "{\"time\":\"2026-11-29T07:30:00.123Z\",\"level\":\"warning\",\"msg\":\"\",\"run_id\":null,"
        "\"reconcile_id\":null,\"env\":null,\"commit\":null}\n");
}

TEST_CASE(
    "log context: quotes, backslashes, newlines and control characters in a line are escaped") {
  std::string hostile = std::string("say \"hi\"\\ \n{\"level\":\"error\"}\r\t\x01\x1b[31m\x7f", 37);
  std::string line = json_log_line(kTime, "info", hostile, values("r", "tick\n\"7\"", {}, {}));
  CHECK(line.find('\n') == line.size() - 1);  // one line, whatever the message held
  rapidjson::Document document = parse_line(line);
  CHECK(std::string(document["msg"].GetString(), document["msg"].GetStringLength()) == hostile);
  CHECK(std::string(document["reconcile_id"].GetString()) == "tick\n\"7\"");
  CHECK(std::string(document["level"].GetString()) == "info");
  CHECK(document.MemberCount() == 7);
}

TEST_CASE("log context: bytes that are not UTF-8 become U+FFFD and the line stays valid JSON") {
  // A lone continuation byte, a cut-short sequence, an overlong '/', a surrogate, and a lead
  // byte at the very end: each invalid byte is replaced, valid text around it is kept.
  std::string message =
      "a\x80"
      "b\xE2\x82"
      "c\xC0\xAF"
      "d\xED\xA0\x80"
      "\xC3\xA9\xF0";
  std::string line = json_log_line(kTime, "error", message, values({}, {}, "caf\xC3", {}));
  rapidjson::Document document = parse_line(line);
  constexpr std::string_view kFffd = "\xEF\xBF\xBD";
  std::string replaced = std::string("a") + std::string(kFffd) + "b" + std::string(kFffd) +
                         std::string(kFffd) + "c" + std::string(kFffd) + std::string(kFffd) + "d" +
                         std::string(kFffd) + std::string(kFffd) + std::string(kFffd) + "\xC3\xA9" +
                         std::string(kFffd);
  CHECK(std::string(document["msg"].GetString()) == replaced);
  CHECK(std::string(document["env"].GetString()) == "caf" + std::string(kFffd));
  CHECK(valid_utf8("plain \xE2\x9C\x93 text") == "plain \xE2\x9C\x93 text");
}

TEST_CASE("log context: set, clear and clear-all change what the next line shows") {
  clear_log_fields();
  CHECK(log_context() == LogContextValues{});
  set_log_field(LogField::kRunId, "0123456789abcdef");
  set_log_field(LogField::kEnvironment, "staging");
  set_log_field(LogField::kCommit, "c0ffee");
  set_log_field(LogField::kCommit, "decaf");
  CHECK(log_context() == values("0123456789abcdef", {}, "staging", "decaf"));
  clear_log_field(LogField::kCommit);
  set_log_field(LogField::kReconcileId, "42");
  CHECK(log_context() == values("0123456789abcdef", "42", "staging", {}));
  rapidjson::Document document = parse_line(json_log_line(kTime, "info", "m", log_context()));
  CHECK(std::string(document["reconcile_id"].GetString()) == "42");
  CHECK(document["commit"].IsNull());
  clear_log_fields();
  CHECK(log_context() == LogContextValues{});
}

}  // namespace run
