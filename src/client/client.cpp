#include "messenger/client.hpp"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "client/request_table.hpp"
#include "log/logger.hpp"
#include "messenger/transport.hpp"
#include "messenger/version.hpp"
#include "protocol/codec.hpp"

namespace messenger {
namespace {

constexpr const char* kClientName = "messenger-client/0.1";

/// A client message id unique enough across devices and restarts: 128 random bits in hex.
std::string random_client_msg_id() {
  static thread_local std::mt19937_64 generator(std::random_device{}());
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx",
                static_cast<unsigned long long>(generator()),
                static_cast<unsigned long long>(generator()));
  return buffer;
}

}  // namespace

class Client::Impl {
 public:
  explicit Impl(ClientOptions options)
      : options_(std::move(options)),
        log_(options_.log, "client"),
        work_(asio::make_work_guard(io_)),
        transport_(make_websocket_transport(io_, options_.log)),
        thread_([this] { io_.run(); }) {}

  ~Impl() {
    close();
    work_.reset();
    // Give the closing handshake a moment, then stop whatever is left.
    asio::post(io_, [this] { io_.stop(); });
    thread_.join();
  }

  Result<void> connect() {
    std::lock_guard connect_lock(connect_mutex_);
    if (state() == ConnectionState::connected) return {};
    set_state(ConnectionState::connecting, std::nullopt);

    auto done = std::make_shared<std::promise<Result<std::shared_ptr<Connection>>>>();
    auto generation = ++generation_;
    ConnectionEvents events;
    events.on_text = [this, generation](std::string text) {
      if (generation == generation_) handle_text(text);
    };
    events.on_closed = [this, generation](CloseCode code, std::string_view reason) {
      if (generation == generation_) handle_closed(code, reason);
    };
    ConnectOptions connect_options;
    connect_options.url = options_.url;
    transport_->connect(
        connect_options, std::move(events),
        [done](Result<std::shared_ptr<Connection>> result) { done->set_value(std::move(result)); });

    auto future = done->get_future();
    if (future.wait_for(options_.request_timeout) != std::future_status::ready) {
      ++generation_;
      Error error{Errc::timeout, "could not connect to " + options_.url + " in time"};
      set_state(ConnectionState::disconnected, error);
      return error;
    }
    auto connection = future.get();
    if (!connection) {
      set_state(ConnectionState::disconnected, connection.error());
      return connection.error();
    }
    {
      std::lock_guard lock(mutex_);
      connection_ = *connection;
    }

    auto hello =
        call(protocol::Hello{kProtocolVersion, kClientName}, &protocol::ServerFrame::as_hello);
    if (!hello) {
      close_connection(CloseCode::normal, "hello failed");
      set_state(ConnectionState::disconnected, hello.error());
      return hello.error();
    }
    set_state(ConnectionState::connected, std::nullopt);
    log_.info("connected to {}", options_.url);
    return {};
  }

  void close() {
    close_connection(CloseCode::normal, "client closed");
    table_.fail_all({Errc::disconnected, "the client was closed"});
    if (state() != ConnectionState::disconnected) {
      set_state(ConnectionState::disconnected, std::nullopt);
    }
  }

  ConnectionState state() const {
    std::lock_guard lock(mutex_);
    return state_;
  }

  std::optional<User> user() const {
    std::lock_guard lock(mutex_);
    return user_;
  }

  Result<Session> authenticate(protocol::RequestBody body) {
    if (auto connected = connect(); !connected) return connected.error();
    auto reply = call(std::move(body), &protocol::ServerFrame::as_session);
    if (!reply) return reply.error();
    set_user(reply->user);
    return Session{reply->user, reply->token};
  }

  Result<User> resume(std::string_view token) {
    if (auto connected = connect(); !connected) return connected.error();
    auto reply = call(protocol::Resume{std::string(token)}, &protocol::ServerFrame::as_user);
    if (!reply) return reply.error();
    set_user(reply->user);
    return reply->user;
  }

  Result<void> logout() {
    auto done = call_empty(protocol::Logout{});
    if (done) set_user(std::nullopt);
    return done;
  }

  /// Sends one request and waits for its reply, read with `as`.
  template <typename Reply>
  Result<Reply> call(protocol::RequestBody body,
                     Result<Reply> (protocol::ServerFrame::*as)() const) {
    auto frame = exchange(std::move(body));
    if (!frame) return frame.error();
    if (frame->error()) return *frame->error();
    return ((*frame).*as)();
  }

  Result<void> call_empty(protocol::RequestBody body) {
    auto frame = exchange(std::move(body));
    if (!frame) return frame.error();
    if (frame->error()) return *frame->error();
    return {};
  }

  std::optional<ClientEvent> poll_event(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (!events_changed_.wait_for(lock, timeout, [this] { return !events_.empty(); })) {
      return std::nullopt;
    }
    auto event = std::move(events_.front());
    events_.pop_front();
    return event;
  }

  void set_event_handler(std::function<void(const ClientEvent&)> handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
    // Events that queued up before the handler came go to it first, in order, on the network
    // thread; events arriving meanwhile queue behind them.
    if (handler_ && !events_.empty() && !draining_) {
      draining_ = true;
      asio::post(io_, [this] { drain_to_handler(); });
    }
  }

  const ClientOptions& options() const { return options_; }

 private:
  Result<protocol::ServerFrame> exchange(protocol::RequestBody body) {
    std::shared_ptr<Connection> connection;
    {
      std::lock_guard lock(mutex_);
      connection = connection_;
    }
    if (!connection) return Error{Errc::disconnected, "not connected"};
    auto id = table_.open();
    connection->send_text(protocol::encode_request({id, std::move(body)}));
    return table_.wait(id, options_.request_timeout);
  }

  void handle_text(const std::string& text) {
    auto frame = protocol::ServerFrame::parse(text);
    if (!frame) {
      log_.warn("unreadable frame from the server: {}", frame.error().message);
      return;
    }
    if (!frame->is_event()) {
      if (!frame->id()) {
        // The server could not read a request's id; that request ends with a timeout.
        log_.warn("the server refused a request it could not read: {}",
                  frame->error() ? frame->error()->message : "no reason given");
        return;
      }
      table_.complete(*frame->id(), std::move(*frame));
      return;
    }
    auto event = frame->as_event();
    if (!event) {
      log_.debug("ignoring an event this client does not know: {}", event.error().message);
      return;
    }
    std::visit([this](auto& e) { on_event(std::move(e)); }, *event);
  }

  void on_event(MessageEvent event) {
    auto me = user();
    if (options_.auto_ack_delivered && me && event.message.sender_id != me->id) {
      schedule_ack(event.message.chat_id, event.message.seq);
    }
    emit(std::move(event));
  }
  void on_event(ReceiptEvent event) { emit(event); }
  void on_event(ChatEvent event) { emit(std::move(event)); }

  /// Acknowledges a burst of messages with one request per chat, once the burst is read.
  void schedule_ack(ChatId chat, Seq seq) {
    auto& highest = pending_acks_[chat];
    highest = std::max(highest, seq);
    if (ack_scheduled_) return;
    ack_scheduled_ = true;
    asio::post(io_, [this] { flush_acks(); });
  }

  void flush_acks() {
    ack_scheduled_ = false;
    std::shared_ptr<Connection> connection;
    {
      std::lock_guard lock(mutex_);
      connection = connection_;
    }
    if (connection) {
      for (auto [chat, seq] : pending_acks_) {
        protocol::Request request{table_.untracked(), protocol::AckDelivered{chat, seq}};
        connection->send_text(protocol::encode_request(request));
      }
    }
    pending_acks_.clear();
  }

  void handle_closed(CloseCode code, std::string_view reason) {
    {
      std::lock_guard lock(mutex_);
      connection_.reset();
    }
    Error error{code == CloseCode::auth_failed ? Errc::session_revoked : Errc::disconnected,
                "connection closed (" + std::to_string(static_cast<int>(code)) + " " +
                    std::string(reason) + ")"};
    if (code == CloseCode::auth_failed) set_user(std::nullopt);
    table_.fail_all(error);
    log_.info("disconnected: {}", error.message);
    set_state(ConnectionState::disconnected, error);
  }

  void close_connection(CloseCode code, std::string_view reason) {
    std::shared_ptr<Connection> connection;
    {
      std::lock_guard lock(mutex_);
      connection = std::move(connection_);
    }
    if (connection) {
      ++generation_;
      connection->close(code, reason);
    }
  }

  void set_state(ConnectionState state, std::optional<Error> error) {
    {
      std::lock_guard lock(mutex_);
      if (state_ == state && !error) return;
      state_ = state;
    }
    emit(ConnectionEvent{state, std::move(error)});
  }

  void set_user(std::optional<User> user) {
    std::lock_guard lock(mutex_);
    user_ = std::move(user);
  }

  void emit(ClientEvent event) {
    std::function<void(const ClientEvent&)> handler;
    {
      std::lock_guard lock(mutex_);
      if (!handler_ || draining_) {
        events_.push_back(std::move(event));
        events_changed_.notify_one();
        return;
      }
      handler = handler_;
    }
    handler(event);
  }

  void drain_to_handler() {
    for (;;) {
      std::function<void(const ClientEvent&)> handler;
      ClientEvent event;
      {
        std::lock_guard lock(mutex_);
        if (!handler_ || events_.empty()) {
          draining_ = false;
          return;
        }
        handler = handler_;
        event = std::move(events_.front());
        events_.pop_front();
      }
      handler(event);
    }
  }

  ClientOptions options_;
  Logger log_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::shared_ptr<Transport> transport_;
  RequestTable table_;
  std::mutex connect_mutex_;
  std::atomic<std::uint64_t> generation_{0};

  mutable std::mutex mutex_;
  std::condition_variable events_changed_;
  ConnectionState state_ = ConnectionState::disconnected;
  std::shared_ptr<Connection> connection_;
  std::optional<User> user_;
  std::deque<ClientEvent> events_;
  std::function<void(const ClientEvent&)> handler_;
  bool draining_ = false;  // queued events are on their way to the handler

  // Touched on the network thread only.
  std::map<ChatId, Seq> pending_acks_;
  bool ack_scheduled_ = false;

  std::thread thread_;  // last: starts once everything above exists
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

Result<void> Client::connect() {
  return impl_->connect();
}
void Client::close() {
  impl_->close();
}
ConnectionState Client::state() const {
  return impl_->state();
}

Result<Session> Client::register_user(std::string_view name, std::string_view password) {
  return impl_->authenticate(
      protocol::Register{std::string(name), std::string(password), impl_->options().device});
}

Result<Session> Client::login(std::string_view name, std::string_view password) {
  return impl_->authenticate(
      protocol::Login{std::string(name), std::string(password), impl_->options().device});
}

Result<User> Client::resume(std::string_view token) {
  return impl_->resume(token);
}
Result<void> Client::logout() {
  return impl_->logout();
}
std::optional<User> Client::user() const {
  return impl_->user();
}

Result<User> Client::find_user(std::string_view name) {
  auto reply = impl_->call(protocol::FindUser{std::string(name)}, &protocol::ServerFrame::as_user);
  if (!reply) return reply.error();
  return reply->user;
}

Result<Chat> Client::open_direct_chat(UserId other) {
  auto reply = impl_->call(protocol::OpenDirectChat{other}, &protocol::ServerFrame::as_chat);
  if (!reply) return reply.error();
  return reply->chat;
}

Result<Chat> Client::create_group(std::string_view title, const std::vector<UserId>& members) {
  auto reply = impl_->call(protocol::CreateGroup{std::string(title), members},
                           &protocol::ServerFrame::as_chat);
  if (!reply) return reply.error();
  return reply->chat;
}

Result<std::vector<ChatSummary>> Client::list_chats() {
  auto reply = impl_->call(protocol::ListChats{}, &protocol::ServerFrame::as_chat_list);
  if (!reply) return reply.error();
  return std::move(reply->chats);
}

Result<SendAck> Client::send_message(ChatId chat, std::string_view text,
                                     std::string_view client_msg_id) {
  std::string id = client_msg_id.empty() ? random_client_msg_id() : std::string(client_msg_id);
  auto reply = impl_->call(protocol::SendMessage{chat, std::move(id), std::string(text)},
                           &protocol::ServerFrame::as_send);
  if (!reply) return reply.error();
  return reply->ack;
}

Result<std::vector<Message>> Client::history(const HistoryQuery& query) {
  auto reply = impl_->call(protocol::GetHistory{query}, &protocol::ServerFrame::as_history);
  if (!reply) return reply.error();
  return std::move(reply->messages);
}

Result<void> Client::ack_delivered(ChatId chat, Seq seq) {
  return impl_->call_empty(protocol::AckDelivered{chat, seq});
}

Result<void> Client::mark_seen(ChatId chat, Seq seq) {
  return impl_->call_empty(protocol::MarkSeen{chat, seq});
}

std::optional<ClientEvent> Client::poll_event(std::chrono::milliseconds timeout) {
  return impl_->poll_event(timeout);
}

void Client::set_event_handler(std::function<void(const ClientEvent&)> handler) {
  impl_->set_event_handler(std::move(handler));
}

}  // namespace messenger
