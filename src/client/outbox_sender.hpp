#pragma once

#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>

#include "client/outbox.hpp"
#include "client/request_table.hpp"
#include "messenger/client.hpp"

namespace messenger {

/// Wait before sending a queued message again after a refusal that may pass later
/// (rate_limited, storage_error, a timeout) while the connection stays up.
inline constexpr std::chrono::milliseconds kOutboxRetryDelay{1'000};

/// Sends the outbox one message at a time, oldest first: the next goes once the server has
/// answered the one before, so that a refusal to retry can never let a later message be stored
/// before an earlier one. Network thread only.
class OutboxSender {
 public:
  struct Hooks {
    SendRequest send;
    std::function<bool()> can_send;  ///< logged in and caught up
    std::function<void(ClientEvent)> emit;
  };

  OutboxSender(asio::io_context& io, Outbox& outbox, Hooks hooks)
      : outbox_(outbox), hooks_(std::move(hooks)), retry_(io) {}

  /// Sends the oldest message unless one is already on its way.
  void flush();
  /// The message on its way will get no answer; it goes again on the next `flush`.
  void connection_lost();

 private:
  void on_reply(std::uint64_t epoch, const OutboxEntry& entry, Result<protocol::ServerFrame>);
  void retry_later();

  Outbox& outbox_;
  Hooks hooks_;
  asio::steady_timer retry_;
  bool in_flight_ = false;
  std::uint64_t epoch_ = 0;  // counts connections, to ignore answers meant for a lost one
};

}  // namespace messenger
