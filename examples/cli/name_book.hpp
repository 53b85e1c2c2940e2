#pragma once

#include <map>
#include <string>
#include <vector>

#include "messenger/types.hpp"

namespace messenger::cli {

/// What the terminal shows for people and chats. Messages carry only the sender's id, so user
/// names are learnt from the member lists of the chats the client sees.
class NameBook {
 public:
  explicit NameBook(User me);

  void remember(const Chat& chat);
  void remember(const User& user);
  bool knows_chat(ChatId chat) const;

  /// The user's name, or "user#<id>" when no chat has named them yet.
  std::string user_name(UserId user) const;
  /// A group's title, or the other member's name for a direct chat; "chat#<id>" when unknown.
  std::string chat_label(ChatId chat) const;

 private:
  struct ChatEntry {
    ChatKind kind = ChatKind::direct;
    std::string title;
    std::vector<UserId> members;
  };

  User me_;
  std::map<UserId, std::string> users_;
  std::map<ChatId, ChatEntry> chats_;
};

}  // namespace messenger::cli
