#include "name_book.hpp"

namespace messenger::cli {

NameBook::NameBook(User me) : me_(std::move(me)) {
  users_[me_.id] = me_.name;
}

void NameBook::remember(const Chat& chat) {
  ChatEntry entry;
  entry.kind = chat.kind;
  entry.title = chat.title;
  for (const auto& member : chat.members) {
    entry.members.push_back(member.user_id);
    if (!member.name.empty()) users_[member.user_id] = member.name;
  }
  chats_[chat.id] = std::move(entry);
}

void NameBook::remember(const User& user) {
  users_[user.id] = user.name;
}

bool NameBook::knows_chat(ChatId chat) const {
  return chats_.contains(chat);
}

std::string NameBook::user_name(UserId user) const {
  auto found = users_.find(user);
  return found != users_.end() ? found->second : "user#" + std::to_string(user);
}

std::string NameBook::chat_label(ChatId chat) const {
  auto found = chats_.find(chat);
  if (found == chats_.end()) return "chat#" + std::to_string(chat);
  const ChatEntry& entry = found->second;
  if (entry.kind == ChatKind::group) {
    return entry.title.empty() ? "group#" + std::to_string(chat) : entry.title;
  }
  for (UserId member : entry.members) {
    if (member != me_.id) return user_name(member);
  }
  return me_.name;
}

}  // namespace messenger::cli
