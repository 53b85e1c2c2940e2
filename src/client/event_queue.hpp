#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

#include "messenger/client.hpp"

namespace asio {
class io_context;
}

namespace messenger {

/// Where the client's events go: a queue the host polls, or the host's handler. Thread-safe;
/// events are emitted on the network thread and keep their order either way.
class EventQueue {
 public:
  using Handler = std::function<void(const ClientEvent&)>;

  /// `io` runs the handler for events that queued before it was set.
  explicit EventQueue(asio::io_context& io) : io_(io) {}

  void emit(ClientEvent event);
  /// The next queued event, waiting up to `timeout`.
  std::optional<ClientEvent> poll(std::chrono::milliseconds timeout);
  void set_handler(Handler handler);

 private:
  void drain_to_handler();

  asio::io_context& io_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ClientEvent> events_;
  Handler handler_;
  bool draining_ = false;  // queued events are on their way to the handler
};

}  // namespace messenger
