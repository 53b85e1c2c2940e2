#include <doctest/doctest.h>

#include "messenger/error.hpp"

using messenger::Errc;

TEST_CASE("every error code has a wire name that maps back to it") {
  for (int i = 0; i <= static_cast<int>(Errc::internal); ++i) {
    auto code = static_cast<Errc>(i);
    CHECK(messenger::errc_from_wire(messenger::to_wire(code)) == code);
  }
}

TEST_CASE("an unknown wire name maps to internal") {
  CHECK(messenger::errc_from_wire("no_such_error") == Errc::internal);
}

TEST_CASE("error codes convert to std::error_code with a readable message") {
  std::error_code code = Errc::not_a_member;
  CHECK(code.message() == "not_a_member");
  CHECK(code.category().name() == std::string("messenger"));
}
