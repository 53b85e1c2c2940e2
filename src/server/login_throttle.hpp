#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/clock.hpp"

namespace messenger {

/// Slows password guessing. A few wrong passwords for one key cost nothing more than the
/// hash; past them, the key's next attempt has to wait a delay that doubles with each further
/// wrong password, up to a cap, and only one attempt at a time is checked. A right password
/// clears the count.
///
/// Logins count per user name (ASCII case folded, as names compare), not per address: behind a
/// load balancer every peer can have the same address, and a guesser can change addresses
/// cheaply. The price is that anyone can make a name wait for a new login; sessions that hold
/// a token are not affected, and their password changes count per session instead.
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

  /// The key of logins for a user name.
  static std::string name_key(std::string_view name);
  /// The key of password checks made by a logged-in session.
  static std::string session_key(std::int64_t session);

  /// Zero when a password may be checked for `key` now; the caller must then report the
  /// outcome with `failed`, `succeeded` or `abandoned`. Otherwise how long until it may.
  Duration begin(const std::string& key);
  /// Records a wrong password for `key`; returns the wait this sets for the next attempt
  /// (zero while free attempts are left).
  Duration failed(const std::string& key);
  void succeeded(const std::string& key);
  /// The check could not be made (the store failed): it counts neither way.
  void abandoned(const std::string& key);

 private:
  struct Record {
    std::size_t failures = 0;
    bool checking = false;  ///< past the free attempts, a check is in progress
    std::chrono::steady_clock::time_point last_failure;
    std::chrono::steady_clock::time_point blocked_until;
  };

  /// Makes room for one more key; false when every key held is blocked.
  bool make_room(std::chrono::steady_clock::time_point now);

  const Clock& clock_;
  const std::size_t free_failures_;
  const Duration max_delay_;
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace messenger
