#include "server/presence_table.hpp"

namespace messenger {

void PresenceTable::connected(UserId user) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = ++connections_[user] == 1;
  }
  if (first && change_) change_(user, true);
}

void PresenceTable::disconnected(UserId user) {
  bool last = false;
  {
    std::lock_guard lock(mutex_);
    auto found = connections_.find(user);
    if (found == connections_.end()) return;
    if (--found->second == 0) {
      connections_.erase(found);
      last = true;
    }
  }
  if (last && change_) change_(user, false);
}

bool PresenceTable::online(UserId user) const {
  std::lock_guard lock(mutex_);
  return connections_.count(user) != 0;
}

}  // namespace messenger
