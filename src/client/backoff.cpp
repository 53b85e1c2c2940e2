#include "client/backoff.hpp"

#include <algorithm>

namespace messenger {
namespace {

// A bound of zero would retry in a tight loop however often the tries fail.
constexpr std::chrono::milliseconds kSmallestBound{1};

}  // namespace

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint64_t seed)
    : min_(std::max(min, kSmallestBound)), max_(std::max(max, min_)), bound_(min_), random_(seed) {}

std::chrono::milliseconds Backoff::next() {
  std::uniform_int_distribution<std::chrono::milliseconds::rep> draw(0, bound_.count());
  std::chrono::milliseconds wait{draw(random_)};
  // Halving the ceiling before comparing keeps the doubling itself from overflowing.
  bound_ = bound_ > max_ / 2 ? max_ : bound_ * 2;
  return wait;
}

}  // namespace messenger
