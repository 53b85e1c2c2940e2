#include <doctest/doctest.h>

#include "server/login_throttle.hpp"

using namespace messenger;
using namespace std::chrono_literals;

namespace {

/// A clock that moves only when the test moves it.
class ManualClock final : public Clock {
 public:
  Timestamp now() const override { return 0; }
  std::chrono::steady_clock::time_point monotonic() const override { return time; }

  std::chrono::steady_clock::time_point time{std::chrono::hours(24)};
};

}  // namespace

TEST_CASE("a name gets its free wrong passwords, then waits a delay that doubles") {
  ManualClock clock;
  LoginThrottle throttle(clock, 3, 300s);

  for (int i = 0; i < 3; ++i) {
    CHECK(throttle.wait_for("alice") == 0s);
    CHECK(throttle.failed("alice") == 0s);
  }
  CHECK(throttle.wait_for("alice") == 0s);

  CHECK(throttle.failed("alice") == 1s);
  CHECK(throttle.wait_for("alice") == 1s);
  CHECK(throttle.wait_for("bob") == 0s);

  clock.time += 1s;
  CHECK(throttle.wait_for("alice") == 0s);
  CHECK(throttle.failed("alice") == 2s);
  clock.time += 2s;
  CHECK(throttle.failed("alice") == 4s);
}

TEST_CASE("the delay stops growing at its cap") {
  ManualClock clock;
  LoginThrottle throttle(clock, 0, 10s);

  LoginThrottle::Duration last{};
  for (int i = 0; i < 80; ++i) {
    last = throttle.failed("alice");
    clock.time += last;
  }
  CHECK(last == 10s);
}

TEST_CASE("a right password clears the count") {
  ManualClock clock;
  LoginThrottle throttle(clock, 2, 300s);
  throttle.failed("alice");
  throttle.failed("alice");

  throttle.succeeded("alice");

  CHECK(throttle.failed("alice") == 0s);
  CHECK(throttle.failed("alice") == 0s);
  CHECK(throttle.failed("alice") == 1s);
}

TEST_CASE("wrong passwords far apart are forgotten") {
  ManualClock clock;
  LoginThrottle throttle(clock, 2, 300s);
  throttle.failed("alice");
  throttle.failed("alice");

  clock.time += std::chrono::hours(1);

  CHECK(throttle.failed("alice") == 0s);
}
