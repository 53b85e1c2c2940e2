#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <vector>

#include "messenger/client.hpp"

namespace messenger::test {

constexpr auto kWaitLimit = std::chrono::seconds(10);

/// Polls `client` until an event matches `match` (returned) or `limit` passes (nothing).
/// Events that do not match are kept in `skipped` when given.
std::optional<ClientEvent> wait_for_event(Client& client,
                                          const std::function<bool(const ClientEvent&)>& match,
                                          std::chrono::milliseconds limit = kWaitLimit,
                                          std::vector<ClientEvent>* skipped = nullptr);

/// Waits for the next message event; nothing on timeout.
std::optional<Message> wait_for_message(Client& client,
                                        std::chrono::milliseconds limit = kWaitLimit);

/// Waits until a receipt says `user` has reached `status` for `seq` in `chat`.
bool wait_for_receipt(Client& client, ChatId chat, UserId user, Seq seq, MessageStatus status,
                      std::chrono::milliseconds limit = kWaitLimit);

}  // namespace messenger::test
