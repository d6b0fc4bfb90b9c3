#include <doctest/doctest.h>

#include "net/url.h"

namespace run::net {

TEST_CASE("an http(s) URL splits into host, port, target and credentials") {
  std::optional<Url> url =
      parse_url("https://user:p%40ss@hooks.example.com/services/T1?token=abc#frag");
  REQUIRE(url);
  CHECK(url->https);
  CHECK(url->userinfo == "user:p@ss");
  CHECK(url->host == "hooks.example.com");
  CHECK(url->port == "443");
  CHECK(url->target == "/services/T1?token=abc");

  std::optional<Url> plain = parse_url("http://127.0.0.1:9000");
  REQUIRE(plain);
  CHECK_FALSE(plain->https);
  CHECK(plain->port == "9000");
  CHECK(plain->target == "/");
  CHECK(parse_url("HTTP://[::1]:81/x")->host == "::1");
  CHECK(parse_url("http://h?x=1")->target == "/?x=1");
}

TEST_CASE("what is not an http(s) URL with a host is refused") {
  CHECK_FALSE(parse_url("ftp://example.com/"));
  CHECK_FALSE(parse_url("example.com/hook"));
  CHECK_FALSE(parse_url("http:///path"));
  CHECK_FALSE(parse_url("http://host:port/"));
  CHECK_FALSE(parse_url("http://[::1/"));
}

TEST_CASE("base64 pads to whole groups") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("user:p@ss") == "dXNlcjpwQHNz");
}

}  // namespace run::net
