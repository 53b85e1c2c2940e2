#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "messenger/result.hpp"
#include "messenger/transport.hpp"
#include "protocol/messages.hpp"

namespace messenger {

struct ServerContext;
class RequestRouter;
class PresenceTable;

/// Who a connection is logged in as.
struct Identity {
  User user;
  SessionId session = 0;
};

/// The server's side of one connection: protocol state (hello, login), request limits, and the
/// events it receives. Output methods are thread-safe: services answer from the commit
/// queue's finisher thread and the reader threads.
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
  /// An encoded event, for logged-in connections only.
  void push(const std::string& encoded);
  void close(CloseCode code, std::string_view reason);

  /// Logs the connection in: from now on it receives the user's live events. Errors:
  /// disconnected (the connection closed meanwhile), session_revoked (sessions of the user
  /// were revoked after `revocation_mark` was taken; see SessionRegistry).
  Result<void> bind(const Identity& identity, std::uint64_t revocation_mark);
  std::optional<Identity> identity() const;
  const std::string& peer() const { return connection_->peer(); }

 private:
  bool take_token();
  /// Checks the login state and the requests in flight; counts the request in when admitted.
  std::optional<Error> admit(const protocol::Request& request);
  /// Answers a request that was never routed.
  void refuse(std::optional<protocol::RequestId> id, const Error& error);

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
  std::size_t pending_ = 0;
  std::optional<protocol::RequestId> login_in_flight_;
};

}  // namespace messenger
