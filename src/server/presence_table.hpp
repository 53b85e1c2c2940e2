#pragma once

#include <functional>
#include <mutex>
#include <unordered_map>

#include "messenger/types.hpp"

namespace messenger {

/// Who is online: the number of logged-in connections of each user. Kept in memory only, so a
/// restarted server starts with everyone offline. Thread-safe.
class PresenceTable {
 public:
  /// Runs when a user's first connection logs in (true) or their last one closes (false), on
  /// the thread that caused it; must not call back into this table.
  using Change = std::function<void(UserId user, bool online)>;

  void on_change(Change change) { change_ = std::move(change); }
  void connected(UserId user);
  void disconnected(UserId user);
  bool online(UserId user) const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<UserId, int> connections_;
  Change change_;
};

}  // namespace messenger
