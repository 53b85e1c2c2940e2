#pragma once

#include <string>
#include <vector>

#include "messenger/client.hpp"

namespace messenger::test {

/// Creates accounts in a server's data folder through an in-process server that hashes
/// passwords at the lowest cost, so that a test can have hundreds of users in a moment (the
/// server program hashes at the interactive cost). No other server may use the folder
/// meanwhile. Passwords are `password_of(name)`; the sessions' tokens stay valid for a server
/// started on the folder later.
std::vector<Session> seed_accounts(const std::string& data_dir,
                                   const std::vector<std::string>& names);

}  // namespace messenger::test
