#include <doctest/doctest.h>

#include "core/utf8.h"

namespace run {

TEST_CASE("utf8: decode_utf8_at reads one character and its length") {
  std::string_view text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x99\x82";
  CHECK(decode_utf8_at(text, 0).value == U'a');
  CHECK(decode_utf8_at(text, 1).value == 0xE9);
  CHECK(decode_utf8_at(text, 1).length == 2);
  CHECK(decode_utf8_at(text, 3).value == 0x20AC);
  CHECK(decode_utf8_at(text, 3).length == 3);
  CHECK(decode_utf8_at(text, 6).value == 0x1F642);
  CHECK(decode_utf8_at(text, 6).length == 4);
}

TEST_CASE("utf8: a byte that starts no well-formed sequence reads as U+FFFD, one byte long") {
  for (std::string_view bad : {"\xFF", "\xC3", "\xC0\x80", "\xED\xA0\x80", "\x80"}) {
    CodePoint read = decode_utf8_at(bad, 0);
    CHECK(read.value == 0xFFFD);
    CHECK(read.length == 1);
  }
}

TEST_CASE("utf8: encode_utf8 writes what decode_utf8_at reads") {
  for (char32_t value :
       {U'\0', U'A', char32_t{0x7F}, char32_t{0x80}, char32_t{0xFF}, char32_t{0x7FF},
        char32_t{0x800}, char32_t{0xFFFD}, char32_t{0x10000}, char32_t{0x10FFFF}}) {
    std::string text = encode_utf8(value);
    CodePoint read = decode_utf8_at(text, 0);
    CHECK(read.value == value);
    CHECK(read.length == text.size());
  }
  CHECK(encode_utf8(0xE9) == "\xC3\xA9");
}

}  // namespace run
