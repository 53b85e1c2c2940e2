#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "messenger/types.hpp"

namespace messenger {

/// The members of recently used chats, kept in memory so that sending a message needs no read
/// to know whom to deliver it to. The store stays the authority: it checks membership again
/// inside the write. Every membership change passes through the server's writer, which updates
/// this directory after the commit. Thread-safe.
class MemberDirectory {
 public:
  using Members = std::shared_ptr<const std::vector<UserId>>;

  /// Empty when the chat is not cached.
  Members find(ChatId chat) const;
  void put(ChatId chat, std::vector<UserId> members);
  void put(const Chat& chat);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<ChatId, Members> chats_;
};

}  // namespace messenger
