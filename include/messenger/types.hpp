#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace messenger {

using UserId = std::int64_t;
using ChatId = std::int64_t;
using MessageId = std::int64_t;
using SessionId = std::int64_t;
/// Position of a message in its chat: 1, 2, 3, ... without gaps.
using Seq = std::int64_t;
/// Milliseconds since the Unix epoch, UTC, taken from the server's clock.
using Timestamp = std::int64_t;

struct User {
  UserId id = 0;
  std::string name;
  Timestamp created_at = 0;
};

enum class ChatKind { direct, group };

enum class MemberRole { member, admin, owner };

/// A member of a chat with the two watermarks that give every message its status for them.
struct ChatMember {
  UserId user_id = 0;
  std::string name;  ///< the member's user name, for display
  MemberRole role = MemberRole::member;
  Seq delivered_seq = 0;  ///< highest seq this member's devices acknowledged
  Seq seen_seq = 0;       ///< highest seq this member marked seen; never above delivered_seq
};

struct Chat {
  ChatId id = 0;
  ChatKind kind = ChatKind::direct;
  std::string title;  ///< empty for direct chats
  Timestamp created_at = 0;
  Seq last_seq = 0;  ///< seq of the newest message, 0 when empty
  std::vector<ChatMember> members;
};

/// Status of a message from one side: for the sender, how far the other members got; for a
/// receiver, how far they themselves got.
enum class MessageStatus { sent, delivered, seen };

struct Message {
  MessageId id = 0;
  ChatId chat_id = 0;
  Seq seq = 0;
  UserId sender_id = 0;
  std::string client_msg_id;  ///< the sender's idempotency key
  std::string text;
  Timestamp created_at = 0;
  MessageStatus status = MessageStatus::sent;  ///< filled in for the asking user
};

/// One line of a user's chat list.
struct ChatSummary {
  Chat chat;
  std::optional<Message> last_message;
  std::int64_t unread = 0;  ///< messages from others above the user's seen watermark
};

/// Acknowledgement of a stored message.
struct SendAck {
  MessageId message_id = 0;
  ChatId chat_id = 0;
  Seq seq = 0;
  Timestamp created_at = 0;
};

const char* to_string(ChatKind kind) noexcept;
const char* to_string(MemberRole role) noexcept;
const char* to_string(MessageStatus status) noexcept;

}  // namespace messenger
