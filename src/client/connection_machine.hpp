#pragma once

#include <asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/backoff.hpp"
#include "client/client_status.hpp"
#include "client/client_store.hpp"
#include "client/delivery_acks.hpp"
#include "client/event_queue.hpp"
#include "client/outbox_sender.hpp"
#include "client/request_table.hpp"
#include "client/stream_sync.hpp"
#include "client/typing_timers.hpp"
#include "client/update_applier.hpp"
#include "log/logger.hpp"
#include "messenger/transport.hpp"

namespace messenger {

/// The parts of the client the state machine drives, owned by the client.
struct MachineParts {
  EventQueue& events;
  ClientStatus& status;
  Outbox& outbox;
  ClientStore* store;  ///< null without a data file
};

/// The client's connection state machine, on the network thread: connect, hello, log in or
/// resume, sync, connected; after an unexpected drop, the same again with backoff. It owns the
/// connection and every request on it. Every method runs on the network thread.
class ConnectionMachine {
 public:
  using Done = std::function<void(Result<void>)>;

  ConnectionMachine(asio::io_context& io, const ClientOptions& options, MachineParts parts,
                    const SavedClientState& saved);
  ~ConnectionMachine();
  ConnectionMachine(const ConnectionMachine&) = delete;
  ConnectionMachine& operator=(const ConnectionMachine&) = delete;

  /// Connects (unless connected) and says hello; with `resume_saved`, also resumes the session
  /// the client holds. `done` runs once the connection can carry requests, or with the error.
  void connect(bool resume_saved, Done done);
  /// Sends a request when the connection can carry it, else fails it (soon, not inside this
  /// call) with `disconnected`.
  void request(protocol::RequestBody body, ReplyHandler on_reply);
  /// Register, login or resume: like `request`, and a success starts the session and its sync
  /// before `on_reply` runs.
  void authenticate(protocol::RequestBody body, ReplyHandler on_reply);
  /// Logout: like `request`, and a success forgets the session.
  void logout(bool all, ReplyHandler on_reply);
  /// Whether `token` is the session the client holds (and resumes after a drop).
  bool holds_token(const std::string& token) const { return token_ == token; }
  /// Whether the client is logged in with `token` on a connection that carries requests.
  bool holds_session(const std::string& token) const;
  /// The host closed the client: no reconnecting until it connects again.
  void close();
  /// The client is going away: ends everything without waiting for the server.
  void shut_down();
  /// The outbox has something new.
  void outbox_changed();

 private:
  enum class Phase { idle, connecting, greeting, resuming, syncing, ready };

  void start_attempt(bool resume);
  void on_transport_done(std::uint64_t generation, Result<std::shared_ptr<Connection>> result);
  void on_hello(std::uint64_t generation, Result<protocol::ServerFrame> reply);
  void on_resumed(std::uint64_t generation, Result<protocol::ServerFrame> reply);
  void finish_attempt(const Result<void>& outcome);

  void open_session(const User& user, const std::string& token);
  void adopt_owner(UserId user);
  void end_session();
  void on_caught_up();

  void on_text(const std::string& text);
  void on_closed(CloseCode code, std::string_view reason);
  void lose_connection(const Error& error, bool by_host);
  void schedule_reconnect();
  bool reconnect_wanted() const;

  void send(protocol::RequestBody body, ReplyHandler on_reply);
  bool carries_requests() const { return phase_ == Phase::syncing || phase_ == Phase::ready; }
  void enter(Phase phase, std::optional<Error> error = std::nullopt);
  void cursor_moved(Cursor cursor);
  void emit(ClientEvent event) { events_.emit(std::move(event)); }

  asio::io_context& io_;
  const ClientOptions& options_;
  Logger log_;
  EventQueue& events_;
  ClientStatus& status_;
  Outbox& outbox_;
  ClientStore* store_;
  std::shared_ptr<Transport> transport_;

  RequestTable requests_;
  Backoff backoff_;
  asio::steady_timer reconnect_timer_;
  TypingTimers typing_;
  DeliveryAcks acks_;
  UpdateApplier applier_;
  StreamSync sync_;
  OutboxSender outbox_sender_;

  Phase phase_ = Phase::idle;
  std::shared_ptr<Connection> connection_;
  std::uint64_t generation_ = 0;  // counts connections; callbacks of older ones are ignored
  bool resume_on_connect_ = false;
  std::vector<Done> waiters_;  // `connect` calls the attempt under way will answer

  std::optional<std::string> token_;
  std::optional<User> user_;
  UserId owner_ = 0;             // whose stream the cursor is in
  bool session_opened_ = false;  // a session ran on this client, so drops reconnect
  bool closed_by_host_ = false;
  bool cursor_save_scheduled_ = false;
};

}  // namespace messenger
