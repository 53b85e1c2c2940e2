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
  LogOptions log;
};

/// A successful login: who, and the token that resumes the session later.
struct Session {
  User user;
  std::string token;  ///< secret: keep it like a password
};

enum class ConnectionState { disconnected, connecting, connected };

/// A message arrived in one of the user's chats (including the user's own, sent elsewhere).
struct MessageEvent {
  Message message;
};
/// A member's watermarks moved: every message up to `delivered_seq` is delivered to them, up to
/// `seen_seq` seen by them.
struct ReceiptEvent {
  ChatId chat_id = 0;
  UserId user_id = 0;
  Seq delivered_seq = 0;
  Seq seen_seq = 0;
};
/// The user was added to a chat (a direct chat someone opened, or a group).
struct ChatEvent {
  Chat chat;
};
/// The connection changed state; `error` says why it dropped.
struct ConnectionEvent {
  ConnectionState state = ConnectionState::disconnected;
  std::optional<Error> error;
};

using ClientEvent = std::variant<MessageEvent, ReceiptEvent, ChatEvent, ConnectionEvent>;

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

  /// Connects and agrees on the protocol version. Requests below call it when needed.
  /// Errors: disconnected, unsupported_version, timeout.
  Result<void> connect();
  /// Closes the connection; pending requests fail with `disconnected`.
  void close();
  ConnectionState state() const;

  /// Creates an account and logs in. Errors: name_taken, invalid_name, bad_request.
  Result<Session> register_user(std::string_view name, std::string_view password);
  /// Errors: invalid_credentials.
  Result<Session> login(std::string_view name, std::string_view password);
  /// Logs in with a token from an earlier `login`. Errors: session_revoked.
  Result<User> resume(std::string_view token);
  /// Ends this session everywhere: its token stops working at once.
  Result<void> logout();
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
  /// A page of history. Errors: not_a_member.
  Result<std::vector<Message>> history(const HistoryQuery& query);
  /// Tells the server this user's devices hold every message up to `seq` (done automatically
  /// with `auto_ack_delivered`).
  Result<void> ack_delivered(ChatId chat, Seq seq);
  /// Marks the chat seen up to `seq`.
  Result<void> mark_seen(ChatId chat, Seq seq);

  /// The next event, waiting up to `timeout`; nothing when none came.
  std::optional<ClientEvent> poll_event(std::chrono::milliseconds timeout);
  /// Instead of polling: `handler` gets every event, on the client's network thread. It must
  /// not call blocking requests of this client.
  void set_event_handler(std::function<void(const ClientEvent&)> handler);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace messenger
