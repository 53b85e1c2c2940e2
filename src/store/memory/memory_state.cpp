#include "store/memory/memory_state.hpp"

#include <algorithm>

namespace messenger {
namespace {

// Members are kept ordered by user id.
template <typename Members>
auto find_member_in(Members& members, UserId user) -> decltype(&members.front()) {
  auto found =
      std::lower_bound(members.begin(), members.end(), user,
                       [](const ChatMember& member, UserId id) { return member.user_id < id; });
  return found != members.end() && found->user_id == user ? &*found : nullptr;
}

}  // namespace

ChatMember* MemoryChat::find_member(UserId user) {
  return find_member_in(chat.members, user);
}

const ChatMember* MemoryChat::find_member(UserId user) const {
  return find_member_in(chat.members, user);
}

std::string name_key(std::string_view name) {
  std::string key(name);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

}  // namespace messenger
