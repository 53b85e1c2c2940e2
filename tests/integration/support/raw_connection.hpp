#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "messenger/transport.hpp"

namespace messenger::test {

/// A WebSocket connection that speaks raw protocol text, for tests that must control exactly
/// what is sent and when the connection drops.
class RawConnection {
 public:
  explicit RawConnection(const std::string& url);
  ~RawConnection();

  void send(std::string text);
  /// The next text frame, or nothing within `limit`.
  std::optional<std::string> receive(std::chrono::milliseconds limit = std::chrono::seconds(10));
  /// Closes the connection without reading the replies in flight.
  void drop();
  /// The close code once the connection is closed.
  std::optional<CloseCode> wait_closed(std::chrono::milliseconds limit = std::chrono::seconds(10));

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace messenger::test
