#include "client/request_table.hpp"

namespace messenger {

protocol::RequestId RequestTable::open() {
  std::lock_guard lock(mutex_);
  auto id = next_id_++;
  waiting_.emplace(id, std::nullopt);
  return id;
}

protocol::RequestId RequestTable::untracked() {
  std::lock_guard lock(mutex_);
  return next_id_++;
}

bool RequestTable::complete(protocol::RequestId id, Result<protocol::ServerFrame> reply) {
  std::lock_guard lock(mutex_);
  auto found = waiting_.find(id);
  if (found == waiting_.end() || found->second) return false;
  found->second.emplace(std::move(reply));
  done_.notify_all();
  return true;
}

Result<protocol::ServerFrame> RequestTable::wait(protocol::RequestId id,
                                                 std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto found = waiting_.find(id);
  if (found == waiting_.end()) return Error{Errc::internal, "no such request"};
  // References to elements survive a rehash caused by other requests; iterators do not.
  auto* slot = &found->second;
  bool answered = done_.wait_for(lock, timeout, [slot] { return slot->has_value(); });
  if (!answered) {
    waiting_.erase(id);
    return Error{Errc::timeout, "no reply from the server in time"};
  }
  auto reply = std::move(**slot);
  waiting_.erase(id);
  return reply;
}

void RequestTable::fail_all(const Error& error) {
  std::lock_guard lock(mutex_);
  for (auto& [id, slot] : waiting_) {
    if (!slot) slot.emplace(error);
  }
  done_.notify_all();
}

}  // namespace messenger
