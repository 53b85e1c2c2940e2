#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "protocol/codec.hpp"

namespace messenger {

/// Requests waiting for their replies, by request id. Thread-safe: the network thread completes
/// entries while callers wait on them.
class RequestTable {
 public:
  /// Reserves a fresh id to send a request under.
  protocol::RequestId open();
  /// An id for a request whose reply nobody waits for.
  protocol::RequestId untracked();
  /// Delivers the reply for `id`; false when nobody waits for it (late or unknown).
  bool complete(protocol::RequestId id, Result<protocol::ServerFrame> reply);
  /// Waits for the reply of `id` (opened before), up to `timeout`; the entry is gone after.
  Result<protocol::ServerFrame> wait(protocol::RequestId id, std::chrono::milliseconds timeout);
  /// Fails every waiting request with `error`, e.g. when the connection drops.
  void fail_all(const Error& error);

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  protocol::RequestId next_id_ = 1;
  std::unordered_map<protocol::RequestId, std::optional<Result<protocol::ServerFrame>>> waiting_;
};

}  // namespace messenger
