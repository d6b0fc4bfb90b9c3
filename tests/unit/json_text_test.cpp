#include <doctest/doctest.h>

#include <string>

#include "core/json_text.h"

namespace run {

TEST_CASE("json quote: plain text is wrapped in double quotes") {
  CHECK(json_quote("") == "\"\"");
  CHECK(json_quote("8080:8080") == "\"8080:8080\"");
}

TEST_CASE("json quote: quotes, backslashes and control characters are escaped") {
  CHECK(json_quote("say \"hi\"") == R"("say \"hi\"")");
  CHECK(json_quote("C:\\dir") == R"("C:\\dir")");
  CHECK(json_quote("a\nb\tc\rd") == R"("a\nb\tc\rd")");
  CHECK(json_quote(std::string("\x01\x1f\x7f", 3)) == R"("\u0001\u001f\u007f")");
  CHECK(json_quote(std::string("nul\0byte", 8)) == R"("nul\u0000byte")");
}

TEST_CASE("json quote: UTF-8 passes through unchanged") {
  CHECK(json_quote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
}

}  // namespace run
