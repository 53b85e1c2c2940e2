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

/// One password check that turns out wrong; the wait it sets.
LoginThrottle::Duration guess(LoginThrottle& throttle, const std::string& key) {
  REQUIRE(throttle.begin(key) == 0s);
  return throttle.failed(key);
}

}  // namespace

TEST_CASE("a key gets its free wrong passwords, then waits a delay that doubles") {
  ManualClock clock;
  LoginThrottle throttle(clock, 3, 300s);

  CHECK(guess(throttle, "alice") == 0s);
  CHECK(guess(throttle, "alice") == 0s);
  CHECK(guess(throttle, "alice") == 1s);
  CHECK(throttle.begin("alice") == 1s);
  CHECK(throttle.begin("bob") == 0s);

  clock.time += 1s;
  CHECK(guess(throttle, "alice") == 2s);
  clock.time += 2s;
  CHECK(guess(throttle, "alice") == 4s);
}

TEST_CASE("past the free attempts, one check at a time") {
  ManualClock clock;
  LoginThrottle throttle(clock, 1, 300s);
  CHECK(guess(throttle, "alice") == 1s);
  clock.time += 1s;

  CHECK(throttle.begin("alice") == 0s);
  CHECK(throttle.begin("alice") > 0s);
  throttle.abandoned("alice");
  CHECK(throttle.begin("alice") == 0s);
}

TEST_CASE("names count together whatever their ASCII case, and sessions apart from names") {
  CHECK(LoginThrottle::name_key("ALIce") == LoginThrottle::name_key("alice"));
  CHECK(LoginThrottle::name_key("Ärger") != LoginThrottle::name_key("ärger"));
  CHECK(LoginThrottle::session_key(7) != LoginThrottle::name_key("session 7"));
}

TEST_CASE("the delay stops growing at its cap") {
  ManualClock clock;
  LoginThrottle throttle(clock, 0, 10s);

  LoginThrottle::Duration last{};
  for (int i = 0; i < 80; ++i) {
    last = guess(throttle, "alice");
    clock.time += last;
  }
  CHECK(last == 10s);
}

TEST_CASE("a right password clears the count") {
  ManualClock clock;
  LoginThrottle throttle(clock, 2, 300s);
  guess(throttle, "alice");

  throttle.succeeded("alice");

  CHECK(guess(throttle, "alice") == 0s);
  CHECK(guess(throttle, "alice") == 1s);
}

TEST_CASE("wrong passwords far apart are forgotten") {
  ManualClock clock;
  LoginThrottle throttle(clock, 2, 300s);
  guess(throttle, "alice");

  clock.time += std::chrono::hours(1);

  CHECK(guess(throttle, "alice") == 0s);
}

TEST_CASE("guesses spread over very many names neither grow memory nor free a blocked name") {
  ManualClock clock;
  LoginThrottle throttle(clock, 2, 300s);
  guess(throttle, "victim");
  CHECK(guess(throttle, "victim") == 1s);

  // Past the table's size, keys that block nobody make room for new ones.
  for (int i = 0; i < 150'000; ++i)
    throttle.failed("name" + std::to_string(i));

  CHECK(throttle.begin("victim") == 1s);
  CHECK(guess(throttle, "latecomer") == 0s);
  CHECK(guess(throttle, "latecomer") == 1s);
}
