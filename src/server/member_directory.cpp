#include "server/member_directory.hpp"

namespace messenger {
namespace {

// Past this many chats the directory starts over; chats in use come back on their next send.
constexpr std::size_t kMaxCachedChats = 100'000;

}  // namespace

MemberDirectory::Members MemberDirectory::find(ChatId chat) const {
  std::lock_guard lock(mutex_);
  auto found = chats_.find(chat);
  return found == chats_.end() ? nullptr : found->second;
}

void MemberDirectory::put(ChatId chat, std::vector<UserId> members) {
  auto shared = std::make_shared<const std::vector<UserId>>(std::move(members));
  std::lock_guard lock(mutex_);
  if (chats_.size() >= kMaxCachedChats) chats_.clear();
  chats_[chat] = std::move(shared);
}

void MemberDirectory::put(const Chat& chat) {
  std::vector<UserId> members;
  members.reserve(chat.members.size());
  for (const auto& member : chat.members)
    members.push_back(member.user_id);
  put(chat.id, std::move(members));
}

}  // namespace messenger
