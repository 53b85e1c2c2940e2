#pragma once

#include <string>

#include "messenger/client.hpp"

namespace messenger::cli {

struct Credentials {
  std::string name;
  std::string password;
  bool register_first = false;  ///< create the account; an existing one falls back to login
};

/// Connects and logs in, creating the account first when asked. Errors: those of
/// `Client::register_user` (except name_taken) and `Client::login`.
Result<Session> sign_in(Client& client, const Credentials& credentials);

}  // namespace messenger::cli
