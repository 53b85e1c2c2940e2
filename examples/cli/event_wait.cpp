#include "event_wait.hpp"

#include <algorithm>
#include <variant>

namespace messenger::cli {

Result<void> wait_for_events(Client& client, std::chrono::milliseconds timeout,
                             const EventStep& step) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  for (auto now = Clock::now(); now < deadline; now = Clock::now()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    auto event = client.poll_event(std::max(left, std::chrono::milliseconds(1)));
    if (!event) continue;

    if (const auto* connection = std::get_if<ConnectionEvent>(&*event)) {
      if (connection->state != ConnectionState::disconnected) continue;
      return connection->error.value_or(Error{Errc::disconnected, "the connection closed"});
    }
    auto done = step(*event);
    if (!done) return done.error();
    if (*done) return {};
  }
  return Error{Errc::timeout, "nothing came in time"};
}

}  // namespace messenger::cli
