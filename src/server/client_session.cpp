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
      refilled_(context_.clock->monotonic()) {}

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

  if (auto refusal = admit(request); refusal) {
    refuse(request.id, *refusal);
    return;
  }
  router_.route(shared_from_this(), std::move(request));
}

std::optional<Error> ClientSession::admit(const protocol::Request& request) {
  bool logs_in = allowed_before_login(request.body);
  std::lock_guard lock(mutex_);
  if (!identity_ && !logs_in) {
    return Error{Errc::unauthenticated,
                 login_in_flight_ ? "wait for the login's reply" : "log in first"};
  }
  // One login per connection: a second one, even sent before the first is answered, is refused.
  if (logs_in && (identity_ || login_in_flight_)) {
    return Error{Errc::bad_request, "this connection is already logged in"};
  }
  if (pending_ >= context_.limits.max_pending_requests) {
    return Error{Errc::rate_limited, "too many requests in flight"};
  }
  ++pending_;
  if (logs_in) login_in_flight_ = request.id;
  return std::nullopt;
}

bool ClientSession::take_token() {
  auto now = context_.clock->monotonic();
  std::chrono::duration<double> elapsed = now - refilled_;
  refilled_ = now;
  tokens_ = std::min(context_.limits.request_burst,
                     tokens_ + elapsed.count() * context_.limits.requests_per_second);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

void ClientSession::on_closed(CloseCode code, std::string_view reason) {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    if (identity_) {
      context_.registry.remove(identity_->user.id, identity_->session, this);
      context_.presence.disconnected(identity_->user.id);
    }
  }
  context_.log.debug("connection {} closed ({} {})", peer(), static_cast<int>(code), reason);
}

void ClientSession::reply(protocol::RequestId id, const protocol::ReplyBody& body) {
  auto text = protocol::encode_reply(id, body);
  {
    std::lock_guard lock(mutex_);
    --pending_;
    if (login_in_flight_ == id) login_in_flight_.reset();
  }
  connection_->send_text(std::move(text));
}

void ClientSession::fail(protocol::RequestId id, const Error& error) {
  auto text = protocol::encode_error(id, error);
  {
    std::lock_guard lock(mutex_);
    --pending_;
    if (login_in_flight_ == id) login_in_flight_.reset();
  }
  connection_->send_text(std::move(text));
}

void ClientSession::refuse(std::optional<protocol::RequestId> id, const Error& error) {
  connection_->send_text(protocol::encode_error(id, error));
}

void ClientSession::push(const std::string& encoded) {
  {
    std::lock_guard lock(mutex_);
    if (closed_ || !identity_) return;
  }
  connection_->send_text(encoded);
}

void ClientSession::close(CloseCode code, std::string_view reason) {
  connection_->close(code, reason);
}

Result<void> ClientSession::bind(const Identity& identity, std::uint64_t revocation_mark) {
  // Under the lock, so that a close racing with the login leaves nothing registered.
  std::lock_guard lock(mutex_);
  if (closed_) return Error{Errc::disconnected, "the connection closed during login"};
  if (!context_.registry.add(identity.user.id, identity.session, shared_from_this(),
                             revocation_mark)) {
    return Error{Errc::session_revoked, "the sessions of this user were ended; log in again"};
  }
  identity_ = identity;
  context_.presence.connected(identity.user.id);
  return {};
}

std::optional<Identity> ClientSession::identity() const {
  std::lock_guard lock(mutex_);
  return identity_;
}

}  // namespace messenger
