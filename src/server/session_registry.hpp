#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "messenger/types.hpp"

namespace messenger {

class ClientSession;

/// Who is online where: the logged-in connections of each user and of each login session.
/// Thread-safe.
class SessionRegistry {
 public:
  void add(UserId user, SessionId session, const std::shared_ptr<ClientSession>& connection);
  void remove(UserId user, SessionId session, const ClientSession* connection);

  std::vector<std::shared_ptr<ClientSession>> connections_of_user(UserId user) const;
  std::vector<std::shared_ptr<ClientSession>> connections_of_session(SessionId session) const;
  std::vector<std::shared_ptr<ClientSession>> all() const;
  std::size_t size() const;

 private:
  using Connections = std::vector<std::shared_ptr<ClientSession>>;

  mutable std::mutex mutex_;
  std::unordered_map<UserId, Connections> by_user_;
  std::unordered_map<SessionId, Connections> by_session_;
  std::size_t count_ = 0;
};

}  // namespace messenger
