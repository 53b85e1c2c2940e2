#pragma once

#include <asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include "protocol/codec.hpp"

namespace messenger {

/// Gets the reply to one request, or the error that ended it (timeout, disconnected).
using ReplyHandler = std::function<void(Result<protocol::ServerFrame>)>;
/// Sends one request; `on_reply` runs once, on the network thread.
using SendRequest = std::function<void(protocol::RequestBody body, ReplyHandler on_reply)>;

/// The reply read with `as` (the accessor that matches the request), or the error that ended
/// the request.
template <typename Reply>
Result<Reply> read_reply(const Result<protocol::ServerFrame>& reply,
                         Result<Reply> (protocol::ServerFrame::*as)() const) {
  if (!reply) return reply.error();
  return ((*reply).*as)();
}

/// Requests sent and not yet answered, by id, each with its deadline. Network thread only:
/// replies, timeouts and failures all run the handlers there, and each handler runs once.
class RequestTable {
 public:
  explicit RequestTable(asio::io_context& io) : io_(io) {}
  RequestTable(const RequestTable&) = delete;
  RequestTable& operator=(const RequestTable&) = delete;

  /// A fresh id for a request; `on_reply` runs with its reply, or with `timeout` when none came
  /// within `timeout`, or with the error given to `fail_all`.
  protocol::RequestId add(std::chrono::milliseconds timeout, ReplyHandler on_reply);
  /// A fresh id for a request whose reply nobody waits for.
  protocol::RequestId untracked() { return next_id_++; }
  /// Runs the handler of `id` with `reply`; false when nobody waits for it (late or unknown).
  bool complete(protocol::RequestId id, Result<protocol::ServerFrame> reply);
  /// Ends every waiting request with `error`, oldest first, e.g. when the connection drops.
  void fail_all(const Error& error);
  std::size_t size() const { return waiting_.size(); }

 private:
  struct Entry {
    ReplyHandler on_reply;
    std::unique_ptr<asio::steady_timer> deadline;
  };

  asio::io_context& io_;
  protocol::RequestId next_id_ = 1;
  std::map<protocol::RequestId, Entry> waiting_;
};

}  // namespace messenger
