#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "messenger/transport.hpp"

namespace messenger::bench {

/// One protocol-v1 client connection of the load generator, on the project's own WebSocket
/// transport. Everything runs on the generator's io thread, so nothing here locks.
class LoadConnection : public std::enable_shared_from_this<LoadConnection> {
 public:
  /// The whole reply frame, and whether it carried `"ok": true`.
  using ReplyHandler = std::function<void(bool ok, const std::string& frame)>;
  using OpenHandler = std::function<void(std::shared_ptr<LoadConnection>)>;

  /// Connects to `url`; `on_open` gets the connection, or nullptr when it failed.
  static void open(Transport& transport, const std::string& url, OpenHandler on_open);

  /// Sends `{"id": <next>, <fields>}`; `fields` is the rest of the JSON object, without braces.
  void request(std::string_view fields, ReplyHandler on_reply);
  void close();

  /// Frames that are not replies (events).
  std::function<void(const std::string& frame)> on_event;
  /// Runs once when the connection ends, whoever ended it.
  std::function<void()> on_closed;

  std::size_t in_flight() const { return pending_.size(); }
  bool closed() const { return closed_; }
  int index = -1;  ///< which user of the scenario this is

 private:
  void receive(std::string frame);
  void closed_by_transport();

  std::shared_ptr<Connection> connection_;
  std::unordered_map<std::int64_t, ReplyHandler> pending_;
  std::int64_t next_id_ = 1;
  bool closed_ = false;
};

/// The integer after `"key":` in a compact JSON frame, or -1.
std::int64_t json_integer(std::string_view frame, std::string_view key);

}  // namespace messenger::bench
