#include "integration/support/event_waiter.hpp"

namespace messenger::test {

std::optional<ClientEvent> wait_for_event(Client& client,
                                          const std::function<bool(const ClientEvent&)>& match,
                                          std::chrono::milliseconds limit,
                                          std::vector<ClientEvent>* skipped) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto event = client.poll_event(std::max(left, std::chrono::milliseconds(1)));
    if (!event) continue;
    if (match(*event)) return event;
    if (skipped) skipped->push_back(std::move(*event));
  }
  return std::nullopt;
}

std::optional<Message> wait_for_message(Client& client, std::chrono::milliseconds limit) {
  auto event = wait_for_event(
      client, [](const ClientEvent& e) { return std::holds_alternative<MessageEvent>(e); }, limit);
  if (!event) return std::nullopt;
  return std::get<MessageEvent>(*event).message;
}

bool wait_for_receipt(Client& client, ChatId chat, UserId user, Seq seq, MessageStatus status,
                      std::chrono::milliseconds limit) {
  auto event = wait_for_event(
      client,
      [&](const ClientEvent& e) {
        auto* receipt = std::get_if<ReceiptEvent>(&e);
        if (!receipt || receipt->chat_id != chat || receipt->user_id != user) return false;
        Seq reached = status == MessageStatus::seen ? receipt->seen_seq : receipt->delivered_seq;
        return reached >= seq;
      },
      limit);
  return event.has_value();
}

}  // namespace messenger::test
