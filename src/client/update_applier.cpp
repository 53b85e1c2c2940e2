#include "client/update_applier.hpp"

namespace messenger {

void UpdateApplier::apply(protocol::ServerEvent event) {
  std::visit([this](auto& e) { on(std::move(e)); }, event);
}

void UpdateApplier::on(MessageEvent event) {
  const auto& message = event.message;
  typing_.message_from(message.chat_id, message.sender_id);
  if (auto_ack_ && message.sender_id != self_) acks_.want(message.chat_id, message.seq);
  emit_(std::move(event));
}

void UpdateApplier::on(TypingEvent event) {
  typing_.typing(event.chat_id, event.user_id);
}

}  // namespace messenger
