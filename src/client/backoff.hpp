#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace messenger {

/// How long to wait before each reconnection try: exponential backoff with full jitter. The
/// bound starts at `min` and doubles after every try, up to `max`; each wait is drawn uniformly
/// from [0, bound], so that many clients dropped at once do not come back at once.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint64_t seed);

  /// The wait before the next try; raises the bound for the one after.
  std::chrono::milliseconds next();
  /// Back to `min`, after a try that succeeded.
  void reset() { bound_ = min_; }
  /// The largest wait `next` can return now.
  std::chrono::milliseconds bound() const { return bound_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds bound_;
  std::mt19937_64 random_;
};

}  // namespace messenger
