#include "server/session_registry.hpp"

#include <algorithm>

namespace messenger {
namespace {

template <typename Map, typename Key>
bool erase_from(Map& map, const Key& key, const ClientSession* connection) {
  auto found = map.find(key);
  if (found == map.end()) return false;
  auto& list = found->second;
  auto it = std::find_if(list.begin(), list.end(),
                         [connection](const auto& entry) { return entry.get() == connection; });
  if (it == list.end()) return false;
  list.erase(it);
  if (list.empty()) map.erase(found);
  return true;
}

}  // namespace

std::uint64_t SessionRegistry::revocation_mark() const {
  std::lock_guard lock(mutex_);
  return revocations_;
}

bool SessionRegistry::add(UserId user, SessionId session,
                          const std::shared_ptr<ClientSession>& connection, std::uint64_t mark) {
  std::lock_guard lock(mutex_);
  if (auto revoked = revoked_at_.find(user); revoked != revoked_at_.end() && revoked->second > mark)
    return false;
  by_user_[user].push_back(connection);
  by_session_[session].push_back(connection);
  ++count_;
  return true;
}

std::vector<std::shared_ptr<ClientSession>> SessionRegistry::revoke(
    UserId user, std::span<const SessionId> sessions) {
  std::lock_guard lock(mutex_);
  revoked_at_[user] = ++revocations_;
  Connections result;
  for (SessionId session : sessions) {
    if (auto found = by_session_.find(session); found != by_session_.end())
      result.insert(result.end(), found->second.begin(), found->second.end());
  }
  return result;
}

void SessionRegistry::remove(UserId user, SessionId session, const ClientSession* connection) {
  std::lock_guard lock(mutex_);
  if (erase_from(by_user_, user, connection)) --count_;
  erase_from(by_session_, session, connection);
}

std::vector<std::shared_ptr<ClientSession>> SessionRegistry::connections_of_user(
    UserId user) const {
  std::lock_guard lock(mutex_);
  auto found = by_user_.find(user);
  return found == by_user_.end() ? Connections{} : found->second;
}

std::vector<std::shared_ptr<ClientSession>> SessionRegistry::connections_of_session(
    SessionId session) const {
  std::lock_guard lock(mutex_);
  auto found = by_session_.find(session);
  return found == by_session_.end() ? Connections{} : found->second;
}

std::vector<std::shared_ptr<ClientSession>> SessionRegistry::all() const {
  std::lock_guard lock(mutex_);
  Connections result;
  result.reserve(count_);
  for (const auto& [user, list] : by_user_)
    result.insert(result.end(), list.begin(), list.end());
  return result;
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return count_;
}

}  // namespace messenger
