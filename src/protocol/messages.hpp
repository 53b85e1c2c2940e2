#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "messenger/client.hpp"
#include "messenger/error.hpp"
#include "messenger/store.hpp"
#include "messenger/types.hpp"

// The messages of protocol v1 as typed values. Their JSON form is in docs/protocol.md; only
// codec.cpp knows it.
namespace messenger::protocol {

using RequestId = std::int64_t;

// Requests, client to server: {"id": 7, "type": "<name>", ...fields}.

struct Hello {  // "hello": must come first
  int protocol = 0;
  std::string client;  // free text, e.g. "messenger-cli/0.1"
};
struct Register {  // "register"
  std::string name;
  std::string password;
  std::string device;  // optional on the wire
};
struct Login {  // "login"
  std::string name;
  std::string password;
  std::string device;  // optional on the wire
};
struct Resume {  // "resume"
  std::string token;
};
struct Logout {      // "logout"
  bool all = false;  // every session of the user, not only this one; optional on the wire
};
struct ChangePassword {  // "change_password"
  std::string current;
  std::string password;
};
struct FindUser {  // "find_user"
  std::string name;
};
struct OpenDirectChat {  // "open_direct_chat"
  UserId user_id = 0;
};
struct CreateGroup {  // "create_group"
  std::string title;
  std::vector<UserId> members;
};
struct ListChats {};  // "list_chats"
struct SendMessage {  // "send_message"
  ChatId chat_id = 0;
  std::string client_msg_id;
  std::string text;
};
struct AckDelivered {  // "ack_delivered"
  ChatId chat_id = 0;
  Seq seq = 0;
};
struct MarkSeen {  // "mark_seen"
  ChatId chat_id = 0;
  Seq seq = 0;
};
struct GetHistory {  // "get_history": fields chat_id, before | after, order, limit
  HistoryQuery query;
};

// Updates in one sync reply: "limit" runs from 1 to kMaxSyncPage; the decoder fills in
// kDefaultSyncPage when the field is left out.
inline constexpr std::size_t kMaxSyncPage = 500;
inline constexpr std::size_t kDefaultSyncPage = 100;

struct Sync {  // "sync": the user's updates after `cursor` (0: from the start)
  Cursor cursor = 0;
  std::size_t limit = 0;  // optional on the wire; 0 means the server's default
};
struct Typing {  // "typing": the user is typing in the chat now
  ChatId chat_id = 0;
};
struct GetPresence {  // "get_presence"
  std::vector<UserId> user_ids;
};
struct GetChat {  // "get_chat": the chat with its members and their watermarks
  ChatId chat_id = 0;
};
struct AddMembers {  // "add_members"
  ChatId chat_id = 0;
  std::vector<UserId> user_ids;
};
struct RemoveMember {  // "remove_member"
  ChatId chat_id = 0;
  UserId user_id = 0;
};
struct LeaveChat {  // "leave_chat"
  ChatId chat_id = 0;
};
struct RenameChat {  // "rename_chat"
  ChatId chat_id = 0;
  std::string title;
};

using RequestBody =
    std::variant<Hello, Register, Login, Resume, Logout, ChangePassword, FindUser, OpenDirectChat,
                 CreateGroup, ListChats, SendMessage, AckDelivered, MarkSeen, GetHistory, Sync,
                 Typing, GetPresence, GetChat, AddMembers, RemoveMember, LeaveChat, RenameChat>;

struct Request {
  RequestId id = 0;
  RequestBody body;
};

/// The wire name of a request body ("send_message").
const char* type_name(const RequestBody& body) noexcept;

// Replies, server to client: {"id": 7, "ok": true, ...fields} or
// {"id": 7, "error": {"code": "not_a_member", "message": "..."}}.

struct HelloReply {
  int protocol = 0;
  std::string server;
};
struct SessionReply {  // register, login
  User user;
  std::string token;
};
struct UserReply {  // resume, find_user
  User user;
};
struct ChatReply {  // open_direct_chat, create_group
  Chat chat;
};
struct ChatListReply {
  std::vector<ChatSummary> chats;
};
struct SendReply {
  SendAck ack;
};
struct HistoryReply {  // get_history: {messages, more (only when true)}
  std::vector<Message> messages;
  /// The page was cut short to keep the reply small; more messages follow in its direction.
  bool more = false;
};
struct EmptyReply {};  // logout, change_password, ack_delivered, mark_seen, typing, leave_chat

// Events, server to client: {"event": "<name>", ...fields}. They reuse the public event types:
// "message" (MessageEvent), "receipt" (ReceiptEvent), "chat" (ChatEvent) — these three carry
// their stream "cursor" —, and the ephemeral "typing" (TypingEvent) and "presence"
// (PresenceEvent).
using ServerEvent = std::variant<MessageEvent, ReceiptEvent, ChatEvent, TypingEvent, PresenceEvent>;

struct SyncReply {                   // sync: {updates: [events with cursors], cursor, more}
  std::vector<ServerEvent> updates;  // message, receipt and chat events only
  Cursor cursor = 0;
  bool more = false;
};
struct PresenceReply {  // get_presence: {presence: [{user_id, online, last_seen}]}
  std::vector<Presence> presence;
};

using ReplyBody = std::variant<HelloReply, SessionReply, UserReply, ChatReply, ChatListReply,
                               SendReply, HistoryReply, EmptyReply, SyncReply, PresenceReply>;

}  // namespace messenger::protocol
