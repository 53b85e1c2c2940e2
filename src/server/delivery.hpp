#pragma once

#include <memory>
#include <vector>

#include "messenger/store.hpp"
#include "server/server_context.hpp"

namespace messenger {

class ClientSession;

/// Pushes events to the online connections of the users they concern. Stream events are pushed
/// from the commit queue's finisher thread, one batch after another in commit order, so every
/// connection gets them in cursor order.
class Delivery {
 public:
  explicit Delivery(ServerContext& context) : context_(context) {}

  /// To every connection of every member but `except` (the sender's connection, which gets the
  /// acknowledgement instead).
  void message(const AppendResult& appended, const ClientSession* except);
  /// To every connection of every member of the chat.
  void receipt(ChatId chat, const WatermarkResult& moved);
  /// The chat to each of `users` (each with its own cursor), except the connection `except`.
  void chat(const Chat& chat, const std::vector<UserId>& users, const std::vector<Cursor>& cursors,
            const ClientSession* except);
  /// The records of a membership or title change to everyone concerned, and the chat itself to
  /// those who joined, in cursor order.
  void chat_change(const ChatChange& change);
  /// To the other members' connections; not stored.
  void typing(ChatId chat, UserId user, const std::vector<ChatMember>& members);
  /// Tells everyone who shares a chat with `user` whether they are online now.
  void presence(UserId user);

 private:
  void to_users(const std::vector<UserId>& users, const std::string& encoded,
                const ClientSession* except);

  ServerContext& context_;
};

}  // namespace messenger
