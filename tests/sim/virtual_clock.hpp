#pragma once

#include <atomic>
#include <chrono>

#include "server/clock.hpp"

namespace messenger::sim {

/// Time that moves only when the simulation says so.
class VirtualClock final : public Clock {
 public:
  /// 2023-11-14T22:13:20Z: any fixed wall time will do, as long as runs share it.
  static constexpr Timestamp kEpoch = 1'700'000'000'000;

  Timestamp now() const override { return kEpoch + elapsed_.load(); }
  std::chrono::steady_clock::time_point monotonic() const override {
    return std::chrono::steady_clock::time_point(std::chrono::milliseconds(elapsed_.load()));
  }

  void advance(std::chrono::milliseconds by) { elapsed_ += by.count(); }
  std::chrono::milliseconds elapsed() const { return std::chrono::milliseconds(elapsed_.load()); }

 private:
  std::atomic<std::int64_t> elapsed_{0};
};

}  // namespace messenger::sim
