#pragma once

#include <memory>

#include "protocol/messages.hpp"

namespace messenger {

struct ServerContext;
class ClientSession;

/// Accounts and login sessions: register, login, resume with a token, logout.
class AccountService {
 public:
  explicit AccountService(ServerContext& context) : context_(context) {}

  void register_user(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                     const protocol::Register& request);
  void login(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
             const protocol::Login& request);
  void resume(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
              const protocol::Resume& request);
  /// Ends the session of this connection: its token stops working, and every connection that
  /// used it is closed with `auth_failed`.
  void logout(const std::shared_ptr<ClientSession>& session, protocol::RequestId id);

 private:
  /// Stores a new login session for `user` and logs the connection in with it.
  void open_session(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                    const User& user, std::string device);
  void start(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
             const User& user, SessionId session_id, std::string token);

  ServerContext& context_;
};

}  // namespace messenger
