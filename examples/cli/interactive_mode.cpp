#include "interactive_mode.hpp"

#include <unistd.h>

#include "chat_screen.hpp"
#include "event_inbox.hpp"
#include "line_reader.hpp"
#include "prompt.hpp"
#include "sign_in.hpp"

namespace messenger::cli {

Result<void> run_interactive(Client& client, const CliOptions& options) {
  LineReader input(STDIN_FILENO);
  Credentials credentials{options.user, options.password.value_or(""), options.register_first};
  if (credentials.name.empty()) {
    auto name = ask(input, "name: ", Echo::on);
    if (!name) return name.error();
    credentials.name = std::move(*name);
  }
  if (!options.password) {
    auto password = ask(input, "password: ", Echo::off);
    if (!password) return password.error();
    credentials.password = std::move(*password);
  }

  // The handler goes in before any event exists: events queued before a handler is set may
  // reach it after newer ones, and the screen drops what looks older than what it showed.
  auto inbox = EventInbox::attach(client);
  if (!inbox) return inbox.error();
  auto session = sign_in(client, credentials);
  if (!session) return session.error();
  ChatScreen screen(client, *session, input, **inbox);
  return screen.run();
}

}  // namespace messenger::cli
