#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.hpp"
#include "server/login_throttle.hpp"

namespace messenger {

struct ServerContext;
class ClientSession;

/// Accounts and login sessions: register, login, resume with a token, logout.
class AccountService {
 public:
  explicit AccountService(ServerContext& context);

  void register_user(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                     const protocol::Register& request);
  void login(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
             const protocol::Login& request);
  void resume(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
              const protocol::Resume& request);
  /// Ends the session of this connection, or with `all` every session of the user: their
  /// tokens stop working, and every connection that used them is closed with `auth_failed`.
  void logout(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
              const protocol::Logout& request);
  /// Checks the current password, stores the new one's hash, and ends every other session of
  /// the user as `logout` does.
  void change_password(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                       const protocol::ChangePassword& request);

 private:
  /// A password hash to store in place of `expected`, made at the configured cost.
  struct RenewedHash {
    std::string expected;
    std::string replacement;
  };

  /// Stores a new login session for `user` (and `renewed`, if any, in the same commit) and logs
  /// the connection in with it.
  void open_session(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                    const User& user, std::string device, std::uint64_t mark,
                    std::optional<RenewedHash> renewed);
  /// `mark`: the registry's revocation mark, taken before the session was read or created.
  void start(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
             const User& user, SessionId session_id, std::string token, std::uint64_t mark);
  /// Closes the connections of sessions that the store no longer holds.
  void end_sessions(UserId user, const std::vector<SessionId>& sessions, const char* reason);

  /// Refuses a password check for throttle `key` while it is held back; true if refused.
  bool throttled(const std::shared_ptr<ClientSession>& session, protocol::RequestId id,
                 const std::string& key);
  /// Counts a wrong password for throttle `key`, and logs when it starts to be held back.
  void count_wrong_password(const std::shared_ptr<ClientSession>& session, const std::string& key,
                            std::string_view who);

  ServerContext& context_;
  LoginThrottle throttle_;
};

}  // namespace messenger
