#include "server/client_session.hpp"

#include <algorithm>
#include <type_traits>

#include "messenger/version.hpp"
#include "protocol/codec.hpp"
#include "server/request_router.hpp"
#include "server/server_context.hpp"

namespace messenger {
namespace {

constexpr const char* kServerName = "messenger/0.1";

bool allowed_before_login(const protocol::RequestBody& body) {
  return std::holds_alternative<protocol::Register>(body) ||
         std::holds_alternative<protocol::Login>(body) ||
         std::holds_alternative<protocol::Resume>(body);
}

}  // namespace

ClientSession::ClientSession(ServerContext& context, RequestRouter& router,
                             std::shared_ptr<Connection> connection)
    : context_(context),
      router_(router),
      connection_(std::move(connection)),
      tokens_(context.limits.request_burst),
      refilled_(std::chrono::steady_clock::now()) {}

void ClientSession::on_text(std::string text) {
  auto decoded = protocol::decode_request(text, context_.limits);
  if (!decoded.body) {
    refuse(decoded.id, decoded.error);
    return;
  }
  protocol::Request request{*decoded.id, std::move(*decoded.body)};

  if (!take_token()) {
    refuse(request.id, {Errc::rate_limited, "too many requests; slow down"});
    return;
  }
  if (context_.stopping) {
    refuse(request.id, {Errc::shutting_down, "the server is stopping"});
    return;
  }
  if (auto* hello = std::get_if<protocol::Hello>(&request.body)) {
    if (hello->protocol != kProtocolVersion) {
      refuse(request.id, {Errc::unsupported_version,
                          "this server speaks protocol " + std::to_string(kProtocolVersion)});
      return;
    }
    said_hello_ = true;
    connection_->send_text(
        protocol::encode_reply(request.id, protocol::HelloReply{kProtocolVersion, kServerName}));
    return;
  }
  if (!said_hello_) {
    refuse(request.id, {Errc::bad_request, "the first request must be hello"});
    return;
  }

  bool logged_in = identity().has_value();
  if (!logged_in && !allowed_before_login(request.body)) {
    refuse(request.id, {Errc::unauthenticated, "log in first"});
    return;
  }
  if (logged_in && allowed_before_login(request.body)) {
    refuse(request.id, {Errc::bad_request, "this connection is already logged in"});
    return;
  }
  {
    std::unique_lock lock(mutex_);
    if (pending_ >= context_.limits.max_pending_requests) {
      lock.unlock();
      refuse(request.id, {Errc::rate_limited, "too many requests in flight"});
      return;
    }
    ++pending_;
  }
  router_.route(shared_from_this(), std::move(request));
}

bool ClientSession::take_token() {
  auto now = std::chrono::steady_clock::now();
  std::chrono::duration<double> elapsed = now - refilled_;
  refilled_ = now;
  tokens_ = std::min(context_.limits.request_burst,
                     tokens_ + elapsed.count() * context_.limits.requests_per_second);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

void ClientSession::on_closed(CloseCode code, std::string_view reason) {
  std::optional<Identity> was;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    was = identity_;
    held_.clear();
  }
  if (was) context_.registry.remove(was->user.id, was->session, this);
  context_.log.debug("connection {} closed ({} {})", peer(), static_cast<int>(code), reason);
}

void ClientSession::reply(protocol::RequestId id, const protocol::ReplyBody& body) {
  auto text = protocol::encode_reply(id, body);
  {
    std::lock_guard lock(mutex_);
    --pending_;
  }
  connection_->send_text(std::move(text));
}

void ClientSession::fail(protocol::RequestId id, const Error& error) {
  auto text = protocol::encode_error(id, error);
  {
    std::lock_guard lock(mutex_);
    --pending_;
  }
  connection_->send_text(std::move(text));
}

void ClientSession::refuse(std::optional<protocol::RequestId> id, const Error& error) {
  connection_->send_text(protocol::encode_error(id, error));
}

void ClientSession::push_message(const EncodedMessage& message) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (catching_up_) {
      held_.push_back(message);
      return;
    }
  }
  connection_->send_text(message.text);
}

void ClientSession::push_event(const std::string& encoded) {
  push_message(EncodedMessage{0, 0, encoded});
}

void ClientSession::close(CloseCode code, std::string_view reason) {
  connection_->close(code, reason);
}

void ClientSession::bind(const Identity& identity) {
  {
    std::lock_guard lock(mutex_);
    identity_ = identity;
    catching_up_ = true;
  }
  context_.registry.add(identity.user.id, identity.session, shared_from_this());
}

std::optional<Identity> ClientSession::identity() const {
  std::lock_guard lock(mutex_);
  return identity_;
}

void ClientSession::finish_catch_up(const std::vector<EncodedMessage>& missed,
                                    const std::vector<std::string>& other_events) {
  std::unordered_map<ChatId, Seq> newest;
  for (const auto& message : missed) {
    connection_->send_text(message.text);
    auto& seq = newest[message.chat_id];
    seq = std::max(seq, message.seq);
  }
  for (const auto& event : other_events)
    connection_->send_text(event);

  // Live events that came meanwhile go out after, without those the catch-up already sent.
  // The lock is held while sending so that no new live event overtakes the held ones.
  std::lock_guard lock(mutex_);
  for (auto& held : held_) {
    if (held.seq != 0) {
      auto found = newest.find(held.chat_id);
      if (found != newest.end() && held.seq <= found->second) continue;
    }
    connection_->send_text(std::move(held.text));
  }
  held_.clear();
  catching_up_ = false;
}

}  // namespace messenger
