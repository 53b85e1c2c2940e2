#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "messenger/log.hpp"
#include "messenger/result.hpp"
#include "messenger/store.hpp"
#include "messenger/types.hpp"

namespace messenger {

struct ClientOptions {
  std::string url = "ws://127.0.0.1:8080/ws";
  std::string device = "messenger-client";  ///< shown in the user's session list
  std::chrono::milliseconds request_timeout{10'000};
  /// Acknowledge each received message as delivered as soon as it arrives.
  bool auto_ack_delivered = true;
  /// After a connection drops (not after `close` or a revoked session), connect again, resume
  /// the session and catch up, waiting between tries a random time up to a bound that doubles
  /// from `reconnect_min` to `reconnect_max` (exponential backoff with full jitter).
  bool reconnect = true;
  std::chrono::milliseconds reconnect_min{250};
  std::chrono::milliseconds reconnect_max{30'000};
  /// A SQLite file where the client keeps its session token, its stream cursor and its outbox,
  /// so that they survive a restart of the program. Empty keeps them in memory only.
  /// LIMITATION: the cursor is saved once events are handed on: a handler has seen them by
  /// then, but events still waiting for `poll_event` when the program dies are not sent again.
  std::string data_file;
  LogOptions log;
};

/// A successful login: who, and the token that resumes the session later.
struct Session {
  User user;
  std::string token;  ///< secret: keep it like a password
};

/// `syncing`: connected and logged in, catching up on what happened while away; live events
/// follow once it is done (`connected`). A client that connects before logging in reports
/// `connected` once the server has answered hello, then `syncing` and `connected` again after
/// the login: `syncing` followed by `connected` is the sign of being caught up.
enum class ConnectionState { disconnected, connecting, syncing, connected };

// Events with a `cursor` come from the user's update stream: each arrives once, in cursor order,
// whether live or while catching up after a reconnect.

/// A message arrived in one of the user's chats (including the user's own, sent elsewhere), or
/// a record of a change to a chat (`message.kind`).
struct MessageEvent {
  Message message;
  Cursor cursor = 0;
};
/// A member's watermarks moved: every message up to `delivered_seq` is delivered to them, up to
/// `seen_seq` seen by them.
struct ReceiptEvent {
  ChatId chat_id = 0;
  UserId user_id = 0;
  Seq delivered_seq = 0;
  Seq seen_seq = 0;
  Cursor cursor = 0;
};
/// The user was added to a chat (a direct chat someone opened, or a group).
struct ChatEvent {
  Chat chat;
  Cursor cursor = 0;
};
/// A member is typing in a chat (`typing`), or stopped: their message arrived, or no renewal
/// came within the server's typing timeout. Never stored.
struct TypingEvent {
  ChatId chat_id = 0;
  UserId user_id = 0;
  bool typing = true;
};
/// A user who shares a chat with this one came online or went offline.
struct PresenceEvent {
  Presence presence;
};
/// A message queued with `queue_message` was stored (`ack`) or refused for good (`error`).
struct SendResultEvent {
  std::string client_msg_id;
  ChatId chat_id = 0;
  std::optional<SendAck> ack;
  std::optional<Error> error;
};
/// The server no longer holds the updates since this client's cursor (`cursor_expired`): what
/// the host program shows (chat list, histories) must be fetched again. The client sets its
/// cursor to 0 and syncs again from the start of its memberships, so the stream's events that
/// follow may repeat ones seen before.
struct ResetEvent {};
/// The connection changed state; `error` says why it dropped.
struct ConnectionEvent {
  ConnectionState state = ConnectionState::disconnected;
  std::optional<Error> error;
};

using ClientEvent = std::variant<MessageEvent, ReceiptEvent, ChatEvent, TypingEvent, PresenceEvent,
                                 SendResultEvent, ResetEvent, ConnectionEvent>;

/// A messenger client: one connection to a server, requests that wait for their replies, and a
/// queue of events pushed by the server.
///
/// ```
/// messenger::Client client({.url = "ws://127.0.0.1:8080/ws"});
/// auto session = client.login("alice", "secret-password");
/// auto chat = client.open_direct_chat(bob_id);
/// auto ack = client.send_message(chat->id, "hello");
/// while (auto event = client.poll_event(std::chrono::seconds(1))) { ... }
/// ```
///
/// Requests block the calling thread until the reply (or `request_timeout`) and may be called
/// from several threads at once. The client runs one thread of its own for the network.
class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Connects and agrees on the protocol version; login, register and resume call it when
  /// needed. Other requests made while disconnected fail at once with `disconnected`.
  /// Resumes the session this client holds (from an earlier login, or saved in `data_file`) if
  /// there is one, which sets `user()`; a session that has ended is forgotten.
  /// Errors: disconnected, unsupported_version, timeout, storage_error (data_file unusable).
  Result<void> connect();
  /// Closes the connection; pending requests fail with `disconnected`.
  void close();
  ConnectionState state() const;

  /// Creates an account and logs in. One client holds one login: on a client already logged
  /// in, this (like `login`) fails with bad_request. Errors: name_taken, invalid_name,
  /// bad_request (a password under 8 bytes, too long a name).
  Result<Session> register_user(std::string_view name, std::string_view password);
  /// Errors: invalid_credentials; rate_limited after repeated wrong passwords for the name
  /// (the message says how long to wait).
  Result<Session> login(std::string_view name, std::string_view password);
  /// Logs in with a token from an earlier `login`. Errors: session_revoked.
  Result<User> resume(std::string_view token);
  /// Ends this session everywhere: its token stops working at once.
  Result<void> logout();
  /// Ends every session of the user, this one included: each device's connection closes and
  /// every token stops working at once.
  Result<void> logout_all();
  /// Replaces the password. Every other session of the user ends as with `logout_all`; this
  /// one stays. Errors: invalid_credentials (`current` is wrong), bad_request (too short),
  /// rate_limited (as for `login`).
  Result<void> change_password(std::string_view current, std::string_view replacement);
  /// The user logged in on this client, if any.
  std::optional<User> user() const;

  /// Errors: not_found.
  Result<User> find_user(std::string_view name);
  /// The direct chat with `other`, created the first time. Errors: not_found.
  Result<Chat> open_direct_chat(UserId other);
  /// Errors: not_found (a member), too_large.
  Result<Chat> create_group(std::string_view title, const std::vector<UserId>& members);
  /// Every chat of the user with its last message and unread count, newest activity first.
  Result<std::vector<ChatSummary>> list_chats();
  /// Sends a text message. With an empty `client_msg_id` the client makes one; sending again
  /// with the same id stores nothing new and returns the first acknowledgement.
  /// Errors: not_a_member, too_large.
  Result<SendAck> send_message(ChatId chat, std::string_view text,
                               std::string_view client_msg_id = {});
  /// A page of history: up to `query.limit` messages, fewer only at the end of the chat. The
  /// server cuts a reply of large messages short; the client then asks for the rest itself.
  /// Errors: not_a_member.
  Result<std::vector<Message>> history(const HistoryQuery& query);
  /// Tells the server this user's devices hold every message up to `seq` (done automatically
  /// with `auto_ack_delivered`).
  Result<void> ack_delivered(ChatId chat, Seq seq);
  /// Marks the chat seen up to `seq`.
  Result<void> mark_seen(ChatId chat, Seq seq);

  /// Queues a message and returns at once with its client message id. It is sent now if
  /// connected, else on the next reconnect (surviving a restart with `data_file`), and retried
  /// with the same id until the server answers; the answer comes as a `SendResultEvent`.
  std::string queue_message(ChatId chat, std::string_view text,
                            std::string_view client_msg_id = {});
  /// Messages queued and not yet answered.
  std::size_t outbox_size() const;
  /// The position in the user's update stream this client has caught up to.
  Cursor cursor() const;

  /// Tells the chat's other members that this user is typing; call again every few seconds
  /// while typing goes on. Errors: not_a_member, rate_limited.
  Result<void> set_typing(ChatId chat);
  /// Online state and last-seen time of users who share a chat with this one (others are left
  /// out of the answer).
  Result<std::vector<Presence>> get_presence(const std::vector<UserId>& users);
  /// The chat with its members, roles and watermarks. Errors: not_a_member.
  Result<Chat> get_chat(ChatId chat);
  /// Errors: forbidden (not an admin, or a direct chat), not_a_member, not_found.
  Result<Chat> add_members(ChatId chat, const std::vector<UserId>& users);
  /// Errors: forbidden, not_a_member.
  Result<Chat> remove_member(ChatId chat, UserId user);
  /// Errors: forbidden (a direct chat), not_a_member.
  Result<void> leave_chat(ChatId chat);
  /// Errors: forbidden, not_a_member, too_large.
  Result<Chat> rename_chat(ChatId chat, std::string_view title);

  /// The next event, waiting up to `timeout`; nothing when none came.
  std::optional<ClientEvent> poll_event(std::chrono::milliseconds timeout);
  /// Instead of polling: `handler` gets every event, on the client's network thread. A
  /// blocking request of this client made from the handler fails at once with bad_request;
  /// `close`, `state`, `user`, `queue_message`, `outbox_size` and `cursor` may be called.
  void set_event_handler(std::function<void(const ClientEvent&)> handler);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace messenger
