#pragma once

#include <chrono>

#include "messenger/types.hpp"

namespace messenger {

/// Where the server reads the time. The real clock in production; a simulation gives its own,
/// which it advances, so that a seeded run is reproducible. Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;

  /// Wall time, for what is stored and shown (`created_at`, `last_seen`).
  virtual Timestamp now() const = 0;
  /// Monotonic time, for intervals (rate limits); never goes back.
  virtual std::chrono::steady_clock::time_point monotonic() const = 0;
};

/// The system and steady clocks; lives as long as the process.
const Clock& real_clock();

}  // namespace messenger
