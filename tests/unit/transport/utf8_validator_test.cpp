#include <doctest/doctest.h>

#include <string>

#include "transport/utf8_validator.hpp"

using messenger::transport::is_valid_utf8;
using messenger::transport::Utf8Validator;

TEST_CASE("valid UTF-8 of every length passes") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii, long enough to take the eight-byte path"));
  CHECK(is_valid_utf8("\xC3\xA9"));          // é
  CHECK(is_valid_utf8("\xE2\x82\xAC"));      // €
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));  // 😀
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  CHECK(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  CHECK(is_valid_utf8("\xEE\x80\x80"));      // U+E000, just above them
}

TEST_CASE("overlong forms, surrogates and code points past U+10FFFF fail") {
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));
  CHECK_FALSE(is_valid_utf8("\xC1\xBF"));
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));
  CHECK_FALSE(is_valid_utf8("\xE0\x9F\xBF"));
  CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));
  CHECK_FALSE(is_valid_utf8("\xF0\x8F\xBF\xBF"));
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // U+D800
  CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));  // U+DFFF
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
  CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  CHECK_FALSE(is_valid_utf8("\xFF"));
}

TEST_CASE("stray continuation bytes and cut sequences fail") {
  CHECK_FALSE(is_valid_utf8("\x80"));
  CHECK_FALSE(is_valid_utf8("abc\xBF"));
  CHECK_FALSE(is_valid_utf8("\xC3"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));
  CHECK_FALSE(is_valid_utf8("\xF0\x9F\x98"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82x"));
}

TEST_CASE("a code point split across pieces passes at every split") {
  const std::string text = "a\xF0\x9F\x98\x80z\xE2\x82\xAC";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    Utf8Validator validator;
    CHECK(validator.feed(std::string_view(text).substr(0, cut)));
    CHECK(validator.feed(std::string_view(text).substr(cut)));
    CHECK(validator.complete());
  }
}

TEST_CASE("an invalid byte fails the piece that holds it, before the rest arrives") {
  Utf8Validator validator;
  CHECK(validator.feed("ok so far "));
  CHECK_FALSE(validator.feed("\xC0\xAF"));
  CHECK(validator.failed());
  CHECK_FALSE(validator.feed("more valid text"));
  CHECK_FALSE(validator.complete());
}

TEST_CASE("a validator reports incomplete while inside a code point") {
  Utf8Validator validator;
  CHECK(validator.feed("\xF0\x9F"));
  CHECK_FALSE(validator.complete());
  CHECK(validator.feed("\x98\x80"));
  CHECK(validator.complete());
}
