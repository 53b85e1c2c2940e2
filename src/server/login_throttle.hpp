#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/clock.hpp"

namespace messenger {

/// Slows password guessing against one account. A few wrong passwords for a name cost nothing
/// more than the hash; past them, that name's next attempt has to wait a delay that doubles
/// with each further wrong password, up to a cap. A right password clears the count.
///
/// The count is per name rather than per address: behind a load balancer every peer can have
/// the same address, and a guesser can change addresses cheaply. The price is that anyone can
/// make an account wait for a new login; sessions that already hold a token are not affected.
///
/// LIMITATION: the counts live in this process's memory, so each server of a cluster keeps its
/// own and a restart forgets them; shared counts need the cluster's store.
///
/// Thread-safe: logins are checked on the read pool's threads.
class LoginThrottle {
 public:
  using Duration = std::chrono::steady_clock::duration;

  LoginThrottle(const Clock& clock, std::size_t free_failures, Duration max_delay)
      : clock_(clock), free_failures_(free_failures), max_delay_(max_delay) {}

  /// Zero if `name` may try a password now; otherwise how long until it may.
  Duration wait_for(std::string_view name);
  /// Records a wrong password for `name`; returns the delay that now applies (zero while
  /// the free attempts last).
  Duration failed(std::string_view name);
  void succeeded(std::string_view name);

 private:
  struct Record {
    std::size_t failures = 0;
    std::chrono::steady_clock::time_point last_failure;
    std::chrono::steady_clock::time_point blocked_until;
  };

  /// Drops the records that no longer block anyone and are old enough to forget.
  void forget_stale(std::chrono::steady_clock::time_point now);

  const Clock& clock_;
  const std::size_t free_failures_;
  const Duration max_delay_;
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace messenger
