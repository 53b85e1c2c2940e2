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

const Message& store_message(MemoryState& state, Message message) {
  MemoryChat& chat = state.chats.at(message.chat_id);
  message.id = state.next_cursor++;
  message.seq = chat.chat.last_seq + 1;
  chat.chat.last_seq = message.seq;
  chat.last_activity = std::max(chat.last_activity, message.created_at);
  if (!message.client_msg_id.empty()) {
    chat.seq_by_client_msg_id[{message.sender_id, message.client_msg_id}] = message.seq;
  }
  ChatMember* sender = chat.find_member(message.sender_id);
  sender->delivered_seq = message.seq;
  sender->seen_seq = message.seq;
  chat.updates.push_back({.cursor = message.id, .seq = message.seq});
  return chat.messages.emplace_back(std::move(message));
}

void start_membership(MemoryState& state, ChatId chat, const ChatMember& member, Cursor first) {
  std::vector<ChatMember>& members = state.chats.at(chat).chat.members;
  auto position = std::lower_bound(members.begin(), members.end(), member.user_id,
                                   [](const ChatMember& m, UserId id) { return m.user_id < id; });
  members.insert(position, member);
  state.chats_of_user[member.user_id].insert(chat);
  state.users.at(member.user_id).memberships.push_back({.chat_id = chat, .first = first});
}

void end_membership(MemoryState& state, ChatId chat, UserId user, Cursor last) {
  std::vector<ChatMember>& members = state.chats.at(chat).chat.members;
  std::erase_if(members, [user](const ChatMember& m) { return m.user_id == user; });
  state.chats_of_user[user].erase(chat);
  for (MemoryMembership& membership : state.users.at(user).memberships) {
    if (membership.chat_id == chat && membership.last == kOpenEnd) membership.last = last;
  }
}

Cursor add_chat_update(MemoryState& state, ChatId chat, std::optional<UserId> addressee) {
  Cursor cursor = state.next_cursor++;
  if (addressee) {
    state.users.at(*addressee).chat_updates.push_back({.cursor = cursor, .chat_id = chat});
  } else {
    state.chats.at(chat).updates.push_back({.cursor = cursor, .kind = UpdateKind::chat});
  }
  return cursor;
}

}  // namespace messenger
