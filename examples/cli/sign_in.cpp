#include "sign_in.hpp"

namespace messenger::cli {

Result<Session> sign_in(Client& client, const Credentials& credentials) {
  if (credentials.register_first) {
    auto registered = client.register_user(credentials.name, credentials.password);
    if (registered || registered.code() != Errc::name_taken) return registered;
  }
  return client.login(credentials.name, credentials.password);
}

}  // namespace messenger::cli
