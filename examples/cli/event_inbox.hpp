#pragma once

#include <deque>
#include <memory>

#include "messenger/client.hpp"

namespace messenger::cli {

/// Carries the client's events from its network thread to the terminal's thread. The event
/// handler only queues and writes a byte to a pipe, so it never blocks the network; the
/// terminal polls the pipe beside stdin and wakes for whichever comes first.
class EventInbox {
 public:
  /// Installs the event handler on `client`. Errors: internal when no pipe can be made.
  static Result<std::unique_ptr<EventInbox>> attach(Client& client);
  /// Removes the handler; a call already running finishes on state it shares.
  ~EventInbox();
  EventInbox(const EventInbox&) = delete;
  EventInbox& operator=(const EventInbox&) = delete;

  /// Readable when events wait.
  int wake_fd() const noexcept;
  /// Every event queued so far, oldest first.
  std::deque<ClientEvent> take();

 private:
  struct Shared;
  EventInbox(Client& client, std::shared_ptr<Shared> shared);

  Client& client_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace messenger::cli
