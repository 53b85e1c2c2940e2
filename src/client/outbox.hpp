#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client/client_store.hpp"
#include "log/logger.hpp"

namespace messenger {

/// Messages queued by the host and not yet answered by the server, oldest first, mirrored in
/// the data file when there is one. Thread-safe: the host adds, the network thread sends and
/// removes.
class Outbox {
 public:
  /// `store` may be null (nothing survives a restart); `saved` is what it held.
  Outbox(ClientStore* store, std::vector<OutboxEntry> saved, const Logger& log);

  /// Queues `entry` unless its client message id is already queued (then false). It is in the
  /// data file when this returns.
  bool push(OutboxEntry entry);
  /// The oldest entry: the next to send.
  std::optional<OutboxEntry> front() const;
  /// Removes the entry with that id, wherever it is.
  void remove(const std::string& client_msg_id);
  /// Empties the outbox, returning what it held.
  std::vector<OutboxEntry> take_all();
  std::size_t size() const;

 private:
  ClientStore* store_;
  const Logger& log_;
  mutable std::mutex mutex_;
  std::deque<OutboxEntry> entries_;
};

}  // namespace messenger
