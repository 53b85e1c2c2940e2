#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "messenger/types.hpp"

namespace messenger {

class ClientSession;

/// Who is online where: the logged-in connections of each user and of each login session.
/// Thread-safe.
///
/// A login reads its session from the store before it registers the connection, and a logout
/// may commit in between: the connection would then escape the logout's closing sweep. So a
/// login takes a `revocation_mark` before its read, and `add` refuses the connection when
/// sessions of that user were revoked after the mark.
class SessionRegistry {
 public:
  std::uint64_t revocation_mark() const;
  /// Returns false, registering nothing, when sessions of `user` were revoked after `mark`.
  bool add(UserId user, SessionId session, const std::shared_ptr<ClientSession>& connection,
           std::uint64_t mark);
  void remove(UserId user, SessionId session, const ClientSession* connection);

  std::vector<std::shared_ptr<ClientSession>> connections_of_user(UserId user) const;
  std::vector<std::shared_ptr<ClientSession>> connections_of_session(SessionId session) const;
  std::vector<std::shared_ptr<ClientSession>> all() const;
  /// Records that `sessions` of `user` have ended in the store, and returns their connections
  /// for the caller to close.
  std::vector<std::shared_ptr<ClientSession>> revoke(UserId user,
                                                     std::span<const SessionId> sessions);
  std::size_t size() const;

 private:
  using Connections = std::vector<std::shared_ptr<ClientSession>>;

  mutable std::mutex mutex_;
  std::unordered_map<UserId, Connections> by_user_;
  std::unordered_map<SessionId, Connections> by_session_;
  std::size_t count_ = 0;
  std::uint64_t revocations_ = 0;
  /// The value of `revocations_` at each user's latest revocation.
  std::unordered_map<UserId, std::uint64_t> revoked_at_;
};

}  // namespace messenger
