#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "messenger/transport.hpp"
#include "protocol/messages.hpp"

namespace messenger {

struct ServerContext;
class RequestRouter;

/// Who a connection is logged in as.
struct Identity {
  User user;
  SessionId session = 0;
};

/// An event ready to send; for a message event, its place in its chat.
struct EncodedMessage {
  ChatId chat_id = 0;
  Seq seq = 0;  ///< 0 for events other than messages
  std::string text;
};

/// The server's side of one connection: protocol state (hello, login), request limits, and the
/// events it receives. Output methods are thread-safe: services answer from the writer and
/// reader threads.
class ClientSession : public std::enable_shared_from_this<ClientSession> {
 public:
  ClientSession(ServerContext& context, RequestRouter& router,
                std::shared_ptr<Connection> connection);

  /// Transport callbacks, never concurrent with each other.
  void on_text(std::string text);
  void on_closed(CloseCode code, std::string_view reason);

  /// Answers a routed request; each routed request gets exactly one reply or fail.
  void reply(protocol::RequestId id, const protocol::ReplyBody& body);
  void fail(protocol::RequestId id, const Error& error);
  /// A message event; while the session is catching up it waits, and is dropped if the catch-up
  /// already carried it.
  void push_message(const EncodedMessage& message);
  /// Any other event (receipt, chat); waits like messages while the session catches up.
  void push_event(const std::string& encoded);
  void close(CloseCode code, std::string_view reason);

  /// Logs the connection in and starts holding back live events until `finish_catch_up`.
  void bind(const Identity& identity);
  std::optional<Identity> identity() const;
  /// Sends what was missed while offline, then the live events held back meanwhile.
  void finish_catch_up(const std::vector<EncodedMessage>& missed,
                       const std::vector<std::string>& other_events);
  const std::string& peer() const { return connection_->peer(); }

 private:
  bool take_token();
  /// Answers a request that was never routed.
  void refuse(std::optional<protocol::RequestId> id, const Error& error);
  void send_held_back();

  ServerContext& context_;
  RequestRouter& router_;
  std::shared_ptr<Connection> connection_;

  // Touched only by on_text (one at a time).
  bool said_hello_ = false;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_;

  mutable std::mutex mutex_;
  std::optional<Identity> identity_;
  bool closed_ = false;
  bool catching_up_ = false;
  std::vector<EncodedMessage> held_;  // in arrival order; seq 0 marks events other than messages
  std::size_t pending_ = 0;
};

}  // namespace messenger
