#include "messenger/client.hpp"

#include <algorithm>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <future>
#include <iterator>
#include <thread>

#include "client/client_msg_id.hpp"
#include "client/client_status.hpp"
#include "client/client_store.hpp"
#include "client/connection_machine.hpp"
#include "client/event_queue.hpp"
#include "client/outbox.hpp"
#include "log/logger.hpp"

namespace messenger {
namespace {

/// Beyond the request timeout (which the network thread enforces), how long a caller waits
/// before giving up on a network thread that does not answer at all.
constexpr std::chrono::milliseconds kCallerGrace{2'000};
/// Steps of a connection attempt, each bounded by the request timeout: the WebSocket
/// handshake, hello, resume.
constexpr int kConnectSteps = 3;

Result<void> read_empty(const Result<protocol::ServerFrame>& frame) {
  if (!frame) return frame.error();
  if (frame->error()) return *frame->error();
  return {};
}

}  // namespace

class Client::Impl {
 public:
  explicit Impl(ClientOptions options)
      : options_(std::move(options)),
        log_(options_.log, "client"),
        work_(asio::make_work_guard(io_)),
        events_(io_),
        store_(open_store()),
        saved_(load_saved()),
        outbox_(store_.get(), std::move(saved_.outbox), log_),
        machine_(io_, options_, {events_, status_, outbox_, store_.get()}, saved_),
        thread_([this] { io_.run(); }) {}

  ~Impl() {
    asio::post(io_, [this] { machine_.shut_down(); });
    work_.reset();
    // Whatever is still in flight (a handshake, a closing handshake) is abandoned here.
    asio::post(io_, [this] { io_.stop(); });
    thread_.join();
  }

  /// Runs `start` on the network thread and waits for the answer it gives to `done`.
  template <typename T>
  T on_network(std::function<void(std::function<void(T)> done)> start,
               std::chrono::milliseconds limit) {
    // Waiting here for the thread we run on would hold it until the time limit, with no events
    // and no keep-alive meanwhile.
    if (std::this_thread::get_id() == thread_.get_id()) {
      return T(Error{Errc::bad_request,
                     "a blocking request cannot be made from the client's own event handler"});
    }
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    asio::post(io_, [start = std::move(start), promise] {
      start([promise](T value) { promise->set_value(std::move(value)); });
    });
    if (future.wait_for(limit + kCallerGrace) != std::future_status::ready) {
      return T(Error{Errc::timeout, "the client's network thread did not answer"});
    }
    return future.get();
  }

  Result<void> connect(bool resume_saved) {
    if (store_error_) return *store_error_;
    return on_network<Result<void>>(
        [this, resume_saved](auto done) { machine_.connect(resume_saved, std::move(done)); },
        options_.request_timeout * kConnectSteps);
  }

  Result<protocol::ServerFrame> exchange(protocol::RequestBody body) {
    return on_network<Result<protocol::ServerFrame>>(
        [this, body = std::move(body)](auto done) mutable {
          machine_.request(std::move(body), std::move(done));
        },
        options_.request_timeout);
  }

  template <typename Reply>
  Result<Reply> call(protocol::RequestBody body,
                     Result<Reply> (protocol::ServerFrame::*as)() const) {
    return read_reply(exchange(std::move(body)), as);
  }

  Result<void> call_empty(protocol::RequestBody body) {
    return read_empty(exchange(std::move(body)));
  }

  Result<protocol::ServerFrame> authenticate(protocol::RequestBody body) {
    if (auto connected = connect(false); !connected) return connected.error();
    return on_network<Result<protocol::ServerFrame>>(
        [this, body = std::move(body)](auto done) mutable {
          machine_.authenticate(std::move(body), std::move(done));
        },
        options_.request_timeout);
  }

  Result<User> resume(std::string_view token) {
    std::string wanted(token);
    // The session the client holds resumes with the connection (it may be back in already,
    // having reconnected by itself); another one needs a request of its own.
    bool held = ask_network<bool>([this, wanted] { return machine_.holds_token(wanted); });
    if (auto connected = connect(held); !connected) return connected.error();
    if (ask_network<bool>([this, wanted] { return machine_.holds_session(wanted); })) {
      if (auto me = status_.user()) return *me;
    }
    auto reply = authenticate(protocol::Resume{wanted});
    auto user = read_reply(reply, &protocol::ServerFrame::as_user);
    if (!user) return user.error();
    return user->user;
  }

  Result<void> logout(bool all) {
    return read_empty(on_network<Result<protocol::ServerFrame>>(
        [this, all](auto done) { machine_.logout(all, std::move(done)); },
        options_.request_timeout));
  }

  void close() {
    ask_network<bool>([this] {
      machine_.close();
      return true;
    });
  }

  std::string queue_message(ChatId chat, std::string_view text, std::string_view client_msg_id) {
    std::string id = client_msg_id.empty() ? random_client_msg_id() : std::string(client_msg_id);
    if (outbox_.push({id, chat, std::string(text)})) {
      asio::post(io_, [this] { machine_.outbox_changed(); });
    }
    return id;
  }

  const ClientOptions& options() const { return options_; }
  ClientStatus& status() { return status_; }
  Outbox& outbox() { return outbox_; }
  EventQueue& events() { return events_; }

 private:
  /// Runs `read` on the network thread and returns what it gives, or a default value when the
  /// network thread does not answer.
  template <typename T>
  T ask_network(std::function<T()> read) {
    if (std::this_thread::get_id() == thread_.get_id()) return read();
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    asio::post(io_, [read = std::move(read), promise] { promise->set_value(read()); });
    if (future.wait_for(kCallerGrace) != std::future_status::ready) return T{};
    return future.get();
  }

  std::unique_ptr<ClientStore> open_store() {
    if (options_.data_file.empty()) return nullptr;
    auto store = ClientStore::open(options_.data_file);
    if (!store) {
      log_.error("{}", store.error().message);
      store_error_ = store.error();
      return nullptr;
    }
    return std::move(*store);
  }

  SavedClientState load_saved() {
    if (!store_) return {};
    auto saved = store_->load();
    if (!saved) {
      log_.error("{}", saved.error().message);
      store_error_ = saved.error();
      return {};
    }
    return std::move(*saved);
  }

  ClientOptions options_;
  Logger log_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  EventQueue events_;
  ClientStatus status_;
  std::optional<Error> store_error_;  // the data file could not be used: connecting fails
  std::unique_ptr<ClientStore> store_;
  SavedClientState saved_;
  Outbox outbox_;
  ConnectionMachine machine_;
  std::thread thread_;  // last: starts once everything above exists
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

Result<void> Client::connect() {
  return impl_->connect(true);
}
void Client::close() {
  impl_->close();
}
ConnectionState Client::state() const {
  return impl_->status().state();
}

Result<Session> Client::register_user(std::string_view name, std::string_view password) {
  auto reply = impl_->authenticate(
      protocol::Register{std::string(name), std::string(password), impl_->options().device});
  auto session = read_reply(reply, &protocol::ServerFrame::as_session);
  if (!session) return session.error();
  return Session{session->user, session->token};
}

Result<Session> Client::login(std::string_view name, std::string_view password) {
  auto reply = impl_->authenticate(
      protocol::Login{std::string(name), std::string(password), impl_->options().device});
  auto session = read_reply(reply, &protocol::ServerFrame::as_session);
  if (!session) return session.error();
  return Session{session->user, session->token};
}

Result<User> Client::resume(std::string_view token) {
  return impl_->resume(token);
}
Result<void> Client::logout() {
  return impl_->logout(false);
}

Result<void> Client::logout_all() {
  return impl_->logout(true);
}

Result<void> Client::change_password(std::string_view current, std::string_view replacement) {
  return impl_->call_empty(
      protocol::ChangePassword{std::string(current), std::string(replacement)});
}
std::optional<User> Client::user() const {
  return impl_->status().user();
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
  std::vector<Message> messages;
  HistoryQuery next = query;
  // Each reply holds at least one message, so this ends within `query.limit` replies.
  for (;;) {
    auto reply = impl_->call(protocol::GetHistory{next}, &protocol::ServerFrame::as_history);
    if (!reply) return reply.error();
    if (reply->messages.empty()) break;

    auto [lowest, highest] =
        std::minmax_element(reply->messages.begin(), reply->messages.end(),
                            [](const Message& a, const Message& b) { return a.seq < b.seq; });
    next.anchor = query.direction == HistoryDirection::before ? lowest->seq : highest->seq;
    std::move(reply->messages.begin(), reply->messages.end(), std::back_inserter(messages));
    if (!reply->more || messages.size() >= query.limit) break;
    next.limit = query.limit - messages.size();
  }

  // Pages of a cut reply come one after another in walking order; the caller asked for one
  // order over the whole page.
  std::sort(messages.begin(), messages.end(), [&query](const Message& a, const Message& b) {
    return query.order == HistoryOrder::newest_first ? a.seq > b.seq : a.seq < b.seq;
  });
  return messages;
}

Result<void> Client::ack_delivered(ChatId chat, Seq seq) {
  return impl_->call_empty(protocol::AckDelivered{chat, seq});
}

Result<void> Client::mark_seen(ChatId chat, Seq seq) {
  return impl_->call_empty(protocol::MarkSeen{chat, seq});
}

std::string Client::queue_message(ChatId chat, std::string_view text,
                                  std::string_view client_msg_id) {
  return impl_->queue_message(chat, text, client_msg_id);
}

std::size_t Client::outbox_size() const {
  return impl_->outbox().size();
}

Cursor Client::cursor() const {
  return impl_->status().cursor();
}

Result<void> Client::set_typing(ChatId chat) {
  return impl_->call_empty(protocol::Typing{chat});
}

Result<std::vector<Presence>> Client::get_presence(const std::vector<UserId>& users) {
  auto reply = impl_->call(protocol::GetPresence{users}, &protocol::ServerFrame::as_presence);
  if (!reply) return reply.error();
  return std::move(reply->presence);
}

Result<Chat> Client::get_chat(ChatId chat) {
  auto reply = impl_->call(protocol::GetChat{chat}, &protocol::ServerFrame::as_chat);
  if (!reply) return reply.error();
  return reply->chat;
}

Result<Chat> Client::add_members(ChatId chat, const std::vector<UserId>& users) {
  auto reply = impl_->call(protocol::AddMembers{chat, users}, &protocol::ServerFrame::as_chat);
  if (!reply) return reply.error();
  return reply->chat;
}

Result<Chat> Client::remove_member(ChatId chat, UserId user) {
  auto reply = impl_->call(protocol::RemoveMember{chat, user}, &protocol::ServerFrame::as_chat);
  if (!reply) return reply.error();
  return reply->chat;
}

Result<void> Client::leave_chat(ChatId chat) {
  return impl_->call_empty(protocol::LeaveChat{chat});
}

Result<Chat> Client::rename_chat(ChatId chat, std::string_view title) {
  auto reply =
      impl_->call(protocol::RenameChat{chat, std::string(title)}, &protocol::ServerFrame::as_chat);
  if (!reply) return reply.error();
  return reply->chat;
}

std::optional<ClientEvent> Client::poll_event(std::chrono::milliseconds timeout) {
  return impl_->events().poll(timeout);
}

void Client::set_event_handler(std::function<void(const ClientEvent&)> handler) {
  impl_->events().set_handler(std::move(handler));
}

}  // namespace messenger
