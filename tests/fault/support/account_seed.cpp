#include "fault/support/account_seed.hpp"

#include <stdexcept>

#include "integration/support/test_server.hpp"
#include "messenger/server.hpp"

namespace messenger::test {

std::vector<Session> seed_accounts(const std::string& data_dir,
                                   const std::vector<std::string>& names) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.data_dir = data_dir;
  options.password_cost = PasswordCost::minimum;
  options.threads = 1;
  Server server(options);
  if (auto started = server.start(); !started) {
    throw std::runtime_error("seeding server did not start: " + started.error().message);
  }

  std::vector<Session> sessions;
  ClientOptions client_options;
  client_options.url = server.url();
  client_options.reconnect = false;
  for (const auto& name : names) {
    Client client(client_options);
    auto session = client.register_user(name, password_of(name));
    if (!session) throw std::runtime_error("register " + name + ": " + session.error().message);
    sessions.push_back(std::move(*session));
  }
  server.stop();
  return sessions;
}

}  // namespace messenger::test
