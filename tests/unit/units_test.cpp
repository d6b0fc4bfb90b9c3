#include <doctest/doctest.h>

#include "model/units.h"

namespace run::model {

TEST_CASE("units: durations in ms, s, m and h, and combined like 1m30s") {
  CHECK(parse_duration_ms("500ms") == 500);
  CHECK(parse_duration_ms("10s") == 10'000);
  CHECK(parse_duration_ms("1m30s") == 90'000);
  CHECK(parse_duration_ms("2h") == 7'200'000);
  CHECK(parse_duration_ms("1h1m1s1ms") == 3'661'001);
  CHECK(parse_duration_ms("0s") == 0);
}

TEST_CASE("units: a duration without a unit, with an unknown unit or a fraction is refused") {
  for (const char* text :
       {"", "10", "s", "10x", "1.5s", "-1s", "10 s", "ms10", "1sec", "99999999999s"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_duration_ms(text).has_value());
  }
}

TEST_CASE("units: memory sizes use binary units and accept a bare byte count") {
  CHECK(parse_memory_bytes("512M") == 512LL * 1024 * 1024);
  CHECK(parse_memory_bytes("1G") == 1024LL * 1024 * 1024);
  CHECK(parse_memory_bytes("256m") == 256LL * 1024 * 1024);
  CHECK(parse_memory_bytes("1.5g") == 3LL * 512 * 1024 * 1024);
  CHECK(parse_memory_bytes("64kb") == 64LL * 1024);
  CHECK(parse_memory_bytes("64KB") == 64LL * 1024);
  CHECK(parse_memory_bytes("1048576") == 1048576);
  CHECK(parse_memory_bytes("100b") == 100);
}

TEST_CASE("units: a malformed memory size is refused") {
  for (const char* text :
       {"", "lots", "1T", "-1M", "1.2.3M", ".", "M", "12 M", "1Mbytes", "1234567890123456"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_memory_bytes(text).has_value());
  }
}

TEST_CASE("units: a port mapping with host, container, address and protocol") {
  auto both = parse_port("8080:80");
  REQUIRE(both);
  CHECK(both->host_port == 8080);
  CHECK(both->container_port == 80);
  CHECK(both->protocol == "tcp");
  CHECK(both->host_ip.empty());

  auto full = parse_port("127.0.0.1:5353:53/udp");
  REQUIRE(full);
  CHECK(full->host_ip == "127.0.0.1");
  CHECK(full->host_port == 5353);
  CHECK(full->container_port == 53);
  CHECK(full->protocol == "udp");

  auto container_only = parse_port("9000");
  REQUIRE(container_only);
  CHECK(container_only->host_port == 0);
  CHECK(container_only->container_port == 9000);
}

TEST_CASE("units: ports outside 1..65535, empty parts and unknown protocols are refused") {
  for (const char* text : {"", "0", "70000", "0:80", "8080:0", "99999:80", ":80",
                           "8080:", "80/http", "a:b", ":8080:80"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_port(text).has_value());
  }
}

}  // namespace run::model
