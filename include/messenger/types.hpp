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
/// Position in a user's update stream: increasing, not contiguous (the stream of one user skips
/// the positions of updates for others). 0 is the start.
using Cursor = std::int64_t;

struct User {
  UserId id = 0;
  std::string name;
  Timestamp created_at = 0;
  Timestamp last_seen = 0;  ///< when the user's last connection closed; 0 if never
};

/// Whether a user is online now, and when they last were.
struct Presence {
  UserId user_id = 0;
  bool online = false;
  Timestamp last_seen = 0;
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

/// What a message is: text from a person, or a record of a change to the chat that the server
/// writes into the chat's order (so every member sees changes and messages in one sequence).
enum class MessageKind {
  text,
  member_added,    ///< `subject_id` joined, added by `sender_id`
  member_removed,  ///< `subject_id` was removed by `sender_id`
  member_left,     ///< `sender_id` left (`subject_id` is the same user)
  chat_renamed,    ///< `sender_id` renamed the chat to `text`
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
  MessageKind kind = MessageKind::text;
  UserId subject_id = 0;  ///< the member a membership change is about
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
const char* to_string(MessageKind kind) noexcept;

}  // namespace messenger
