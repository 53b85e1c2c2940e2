#include <doctest/doctest.h>

#include <set>
#include <vector>

#include "client/backoff.hpp"

using messenger::Backoff;
using std::chrono::milliseconds;

TEST_CASE("the backoff bound doubles from the minimum up to the maximum") {
  Backoff backoff(milliseconds(100), milliseconds(1'000), 7);
  CHECK(backoff.bound() == milliseconds(100));
  std::vector<milliseconds> bounds;
  for (int i = 0; i < 6; ++i) {
    (void)backoff.next();
    bounds.push_back(backoff.bound());
  }
  CHECK(bounds == std::vector<milliseconds>{milliseconds(200), milliseconds(400), milliseconds(800),
                                            milliseconds(1'000), milliseconds(1'000),
                                            milliseconds(1'000)});
}

TEST_CASE("every backoff wait lies between zero and the bound of its try") {
  Backoff backoff(milliseconds(50), milliseconds(3'000), 42);
  for (int i = 0; i < 200; ++i) {
    auto bound = backoff.bound();
    auto wait = backoff.next();
    CHECK(wait >= milliseconds(0));
    CHECK(wait <= bound);
  }
}

TEST_CASE("backoff waits are spread out, not all the same") {
  Backoff backoff(milliseconds(1'000), milliseconds(1'000), 3);
  std::set<milliseconds::rep> seen;
  for (int i = 0; i < 50; ++i)
    seen.insert(backoff.next().count());
  CHECK(seen.size() > 10);
}

TEST_CASE("a reset brings the backoff bound back to the minimum") {
  Backoff backoff(milliseconds(10), milliseconds(10'000), 1);
  for (int i = 0; i < 5; ++i)
    (void)backoff.next();
  CHECK(backoff.bound() == milliseconds(320));
  backoff.reset();
  CHECK(backoff.bound() == milliseconds(10));
}

TEST_CASE("a zero minimum still backs off instead of retrying in a tight loop") {
  Backoff backoff(milliseconds(0), milliseconds(0), 1);
  CHECK(backoff.bound() > milliseconds(0));
  (void)backoff.next();
  CHECK(backoff.bound() > milliseconds(0));
}

TEST_CASE("a huge maximum does not overflow the doubling") {
  Backoff backoff(milliseconds(1), milliseconds::max(), 1);
  for (int i = 0; i < 100; ++i)
    CHECK(backoff.next() >= milliseconds(0));
  CHECK(backoff.bound() == milliseconds::max());
}
