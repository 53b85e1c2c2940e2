#include "client/connection_machine.hpp"

#include <fmt/core.h>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <random>

#include "messenger/limits.hpp"
#include "messenger/version.hpp"

namespace messenger {
namespace {

constexpr const char* kClientName = "messenger-client/0.1";

}  // namespace

ConnectionMachine::ConnectionMachine(asio::io_context& io, const ClientOptions& options,
                                     MachineParts parts, const SavedClientState& saved)
    : io_(io),
      options_(options),
      log_(options.log, "client"),
      events_(parts.events),
      status_(parts.status),
      outbox_(parts.outbox),
      store_(parts.store),
      transport_(make_websocket_transport(io, options.log)),
      requests_(io),
      backoff_(options.reconnect_min, options.reconnect_max, std::random_device{}()),
      reconnect_timer_(io),
      typing_(io, kTypingTimeout, [this](TypingEvent event) { emit(event); }),
      acks_(io,
            [this](auto body, auto on_reply) { request(std::move(body), std::move(on_reply)); }),
      applier_([this](ClientEvent event) { emit(std::move(event)); }, typing_, acks_,
               options.auto_ack_delivered),
      sync_(
          {.send = [this](auto body, auto on_reply) { send(std::move(body), std::move(on_reply)); },
           .apply = [this](auto event) { applier_.apply(std::move(event)); },
           .cursor_moved = [this](Cursor cursor) { cursor_moved(cursor); },
           .reset = [this] { emit(ResetEvent{}); },
           .caught_up = [this] { on_caught_up(); },
           .failed = [this](Error error) { lose_connection(error, false); }},
          saved.cursor),
      outbox_sender_(
          io, outbox_,
          {.send = [this](auto body,
                          auto on_reply) { request(std::move(body), std::move(on_reply)); },
           .can_send = [this] { return phase_ == Phase::ready && user_.has_value(); },
           .emit = [this](ClientEvent event) { emit(std::move(event)); }}),
      token_(saved.token),
      owner_(saved.owner) {
  status_.set_cursor(saved.cursor);
}

ConnectionMachine::~ConnectionMachine() = default;

void ConnectionMachine::connect(bool resume_saved, Done done) {
  if (carries_requests()) return done({});
  waiters_.push_back(std::move(done));
  if (phase_ != Phase::idle) return;  // the attempt under way answers this call too
  reconnect_timer_.cancel();
  start_attempt(resume_saved);
}

void ConnectionMachine::request(protocol::RequestBody body, ReplyHandler on_reply) {
  if (!carries_requests()) {
    asio::post(io_, [on_reply = std::move(on_reply)] {
      on_reply(Error{Errc::disconnected, "not connected"});
    });
    return;
  }
  send(std::move(body), std::move(on_reply));
}

void ConnectionMachine::authenticate(protocol::RequestBody body, ReplyHandler on_reply) {
  std::optional<std::string> resumed;
  if (const auto* resume = std::get_if<protocol::Resume>(&body)) resumed = resume->token;
  auto handle = [this, generation = generation_, resumed,
                 on_reply = std::move(on_reply)](Result<protocol::ServerFrame> reply) {
    if (generation == generation_ && resumed) {
      auto user = read_reply(reply, &protocol::ServerFrame::as_user);
      if (user) open_session(user->user, *resumed);
      if (user.code() == Errc::session_revoked && token_ == resumed) end_session();
    } else if (generation == generation_) {
      auto session = read_reply(reply, &protocol::ServerFrame::as_session);
      if (session) open_session(session->user, session->token);
    }
    on_reply(std::move(reply));
  };
  request(std::move(body), std::move(handle));
}

void ConnectionMachine::logout(bool all, ReplyHandler on_reply) {
  request(protocol::Logout{all}, [this, on_reply = std::move(on_reply)](auto reply) {
    if (reply && !reply->error()) end_session();
    on_reply(std::move(reply));
  });
}

bool ConnectionMachine::holds_session(const std::string& token) const {
  return carries_requests() && user_ && token_ == token;
}

void ConnectionMachine::close() {
  closed_by_host_ = true;
  reconnect_timer_.cancel();
  if (phase_ == Phase::idle) return;
  lose_connection({Errc::disconnected, "the client was closed"}, true);
}

void ConnectionMachine::shut_down() {
  close();
  typing_.clear();
}

void ConnectionMachine::outbox_changed() {
  outbox_sender_.flush();
}

void ConnectionMachine::start_attempt(bool resume) {
  closed_by_host_ = false;
  resume_on_connect_ = resume && token_.has_value();
  auto generation = ++generation_;
  enter(Phase::connecting);

  ConnectionEvents events;
  events.on_text = [this, generation](std::string text) {
    if (generation == generation_) on_text(text);
  };
  events.on_closed = [this, generation](CloseCode code, std::string_view reason) {
    if (generation == generation_) on_closed(code, reason);
  };
  ConnectOptions connect_options;
  connect_options.url = options_.url;
  connect_options.limits.handshake_timeout = options_.request_timeout;
  transport_->connect(connect_options, std::move(events),
                      [this, generation](Result<std::shared_ptr<Connection>> result) {
                        on_transport_done(generation, std::move(result));
                      });
}

void ConnectionMachine::on_transport_done(std::uint64_t generation,
                                          Result<std::shared_ptr<Connection>> result) {
  if (generation != generation_) {
    if (result) (*result)->close(CloseCode::normal, "no longer needed");
    return;
  }
  if (!result) return lose_connection(result.error(), false);
  connection_ = std::move(*result);
  sync_.hold_live();
  enter(Phase::greeting);
  send(protocol::Hello{kProtocolVersion, kClientName},
       [this, generation](auto reply) { on_hello(generation, std::move(reply)); });
}

void ConnectionMachine::on_hello(std::uint64_t generation, Result<protocol::ServerFrame> reply) {
  if (generation != generation_) return;
  auto hello = read_reply(reply, &protocol::ServerFrame::as_hello);
  if (!hello) return lose_connection(hello.error(), false);
  log_.info("connected to {}", options_.url);
  if (!resume_on_connect_ || !token_) {
    enter(Phase::ready);
    return finish_attempt({});
  }
  enter(Phase::resuming);
  send(protocol::Resume{*token_},
       [this, generation](auto resumed) { on_resumed(generation, std::move(resumed)); });
}

void ConnectionMachine::on_resumed(std::uint64_t generation, Result<protocol::ServerFrame> reply) {
  if (generation != generation_) return;
  auto resumed = read_reply(reply, &protocol::ServerFrame::as_user);
  if (resumed) {
    open_session(resumed->user, *token_);
    return finish_attempt({});
  }
  if (resumed.code() != Errc::session_revoked) return lose_connection(resumed.error(), false);

  log_.info("the saved session has ended");
  end_session();
  // Without a host waiting to log in, there is nothing to stay connected for.
  if (waiters_.empty()) return lose_connection(resumed.error(), false);
  enter(Phase::ready, resumed.error());
  finish_attempt({});
}

void ConnectionMachine::finish_attempt(const Result<void>& outcome) {
  auto waiters = std::move(waiters_);
  waiters_.clear();
  for (auto& done : waiters)
    done(outcome);
}

void ConnectionMachine::open_session(const User& user, const std::string& token) {
  adopt_owner(user.id);
  user_ = user;
  token_ = token;
  session_opened_ = true;
  status_.set_user(user);
  applier_.set_self(user.id);
  if (store_) {
    if (auto saved = store_->save_session(user.id, token, sync_.cursor()); !saved) {
      log_.warn("{}", saved.error().message);
    }
  }
  enter(Phase::syncing);
  sync_.start();
}

void ConnectionMachine::adopt_owner(UserId user) {
  if (owner_ == user) return;
  if (owner_ != 0) {
    // The cursor and the queued messages belong to the user who was logged in before.
    sync_.set_cursor(0);
    for (auto& entry : outbox_.take_all()) {
      emit(SendResultEvent{entry.client_msg_id, entry.chat_id, std::nullopt,
                           Error{Errc::unauthenticated, "queued by another user"}});
    }
  }
  owner_ = user;
}

void ConnectionMachine::end_session() {
  token_.reset();
  user_.reset();
  status_.set_user(std::nullopt);
  applier_.set_self(0);
  if (store_) {
    if (auto forgotten = store_->forget_token(); !forgotten) {
      log_.warn("{}", forgotten.error().message);
    }
  }
}

void ConnectionMachine::on_caught_up() {
  enter(Phase::ready);
  backoff_.reset();
  acks_.flush();
  outbox_sender_.flush();
}

void ConnectionMachine::on_text(const std::string& text) {
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
    requests_.complete(*frame->id(), std::move(*frame));
    return;
  }
  auto event = frame->as_event();
  if (!event) {
    log_.debug("ignoring an event this client does not know: {}", event.error().message);
    return;
  }
  if (cursor_of(*event)) {
    sync_.on_live(std::move(*event));
  } else {
    applier_.apply(std::move(*event));
  }
}

void ConnectionMachine::on_closed(CloseCode code, std::string_view reason) {
  connection_.reset();
  bool revoked = code == CloseCode::auth_failed;
  Error error{revoked ? Errc::session_revoked : Errc::disconnected,
              "connection closed (" + std::to_string(static_cast<int>(code)) + " " +
                  std::string(reason) + ")"};
  if (revoked) end_session();
  lose_connection(error, false);
}

void ConnectionMachine::lose_connection(const Error& error, bool by_host) {
  auto connection = std::move(connection_);
  connection_.reset();
  ++generation_;
  if (connection)
    connection->close(CloseCode::normal, by_host ? "client closed" : "client gave up");

  sync_.abandon();
  acks_.connection_lost();
  outbox_sender_.connection_lost();
  requests_.fail_all(error);
  // A failed try is routine while the server is away; a lost connection is worth telling.
  log_.log(carries_requests() ? LogLevel::info : LogLevel::debug, "disconnected: {}",
           error.message);
  enter(Phase::idle, by_host ? std::nullopt : std::optional<Error>(error));
  finish_attempt(error);
  if (reconnect_wanted()) schedule_reconnect();
}

void ConnectionMachine::schedule_reconnect() {
  auto wait = backoff_.next();
  log_.debug("reconnecting in {} ms", wait.count());
  reconnect_timer_.expires_after(wait);
  reconnect_timer_.async_wait([this](const asio::error_code& error) {
    if (!error && phase_ == Phase::idle && reconnect_wanted()) start_attempt(true);
  });
}

bool ConnectionMachine::reconnect_wanted() const {
  return options_.reconnect && session_opened_ && token_ && !closed_by_host_;
}

void ConnectionMachine::send(protocol::RequestBody body, ReplyHandler on_reply) {
  if (!connection_) {
    asio::post(io_, [on_reply = std::move(on_reply)] {
      on_reply(Error{Errc::disconnected, "not connected"});
    });
    return;
  }
  auto id = requests_.add(options_.request_timeout, std::move(on_reply));
  auto text = protocol::encode_request_exactly({id, std::move(body)});
  // The server cannot read the id of a request over its limit, so its refusal could not be
  // matched to the request; refuse here instead, under the server's default limit.
  if (text && text->size() > Limits{}.max_request_bytes) {
    text = Error{Errc::too_large,
                 fmt::format("the request is longer than {} bytes", Limits{}.max_request_bytes)};
  }
  if (!text) {
    asio::post(io_, [this, id, error = text.error()] { requests_.complete(id, error); });
    return;
  }
  connection_->send_text(std::move(*text));
}

void ConnectionMachine::enter(Phase phase, std::optional<Error> error) {
  auto public_state = [](Phase p) {
    switch (p) {
      case Phase::idle:
        return ConnectionState::disconnected;
      case Phase::connecting:
      case Phase::greeting:
      case Phase::resuming:
        return ConnectionState::connecting;
      case Phase::syncing:
        return ConnectionState::syncing;
      case Phase::ready:
        return ConnectionState::connected;
    }
    return ConnectionState::disconnected;
  };
  auto before = public_state(phase_);
  auto after = public_state(phase);
  phase_ = phase;
  status_.set_state(after);
  if (before != after || error) emit(ConnectionEvent{after, std::move(error)});
}

void ConnectionMachine::cursor_moved(Cursor cursor) {
  status_.set_cursor(cursor);
  if (!store_ || cursor_save_scheduled_) return;
  // One write per burst of events, once the burst is read.
  cursor_save_scheduled_ = true;
  asio::post(io_, [this] {
    cursor_save_scheduled_ = false;
    if (auto saved = store_->save_cursor(owner_, status_.cursor()); !saved) {
      log_.warn("{}", saved.error().message);
    }
  });
}

}  // namespace messenger
