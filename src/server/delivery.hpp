#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "server/member_directory.hpp"
#include "server/server_context.hpp"

namespace messenger {

class ClientSession;

/// Pushes events to the online connections of the users they concern, and brings a connection
/// that just logged in up to date with what it missed.
class Delivery {
 public:
  explicit Delivery(ServerContext& context) : context_(context) {}

  /// To every connection of every member but `except` (the sender's connection, which gets the
  /// acknowledgement instead).
  void message(const Message& message, const std::vector<UserId>& members,
               const ClientSession* except);
  /// To every connection of every member of the chat.
  void receipt(ChatId chat, const ChatMember& member);
  /// To every connection of every member but `except`.
  void chat(const Chat& chat, const ClientSession* except);

  /// Runs `then` with the members of `chat`, from memory or after a read. `then` gets nullptr
  /// when the chat does not exist. Runs on the caller's thread or on a reader thread.
  void with_members(ChatId chat, std::function<void(MemberDirectory::Members)> then);

  /// Sends a freshly logged-in connection every message of its chats above the user's
  /// delivered watermark, and the watermarks of the other members, then switches it to live.
  void catch_up(const std::shared_ptr<ClientSession>& session);

 private:
  ServerContext& context_;
};

}  // namespace messenger
