#include "client/outbox_sender.hpp"

namespace messenger {
namespace {

// A refusal that will not change however often the message is sent.
bool is_final(Errc code) {
  return code == Errc::not_a_member || code == Errc::too_large || code == Errc::bad_request ||
         code == Errc::not_found || code == Errc::forbidden;
}

}  // namespace

void OutboxSender::flush() {
  if (in_flight_ || !hooks_.can_send()) return;
  auto entry = outbox_.front();
  if (!entry) return;
  in_flight_ = true;
  protocol::SendMessage request{entry->chat_id, entry->client_msg_id, entry->text};
  hooks_.send(std::move(request), [this, epoch = epoch_, entry = *entry](auto reply) {
    on_reply(epoch, entry, std::move(reply));
  });
}

void OutboxSender::connection_lost() {
  ++epoch_;
  in_flight_ = false;
  retry_.cancel();
}

void OutboxSender::on_reply(std::uint64_t epoch, const OutboxEntry& entry,
                            Result<protocol::ServerFrame> reply) {
  if (epoch != epoch_) return;
  in_flight_ = false;
  auto sent = read_reply(reply, &protocol::ServerFrame::as_send);
  if (!sent && !is_final(sent.code())) return retry_later();

  outbox_.remove(entry.client_msg_id);
  SendResultEvent result{entry.client_msg_id, entry.chat_id, std::nullopt, std::nullopt};
  if (sent) {
    result.ack = sent->ack;
  } else {
    result.error = sent.error();
  }
  hooks_.emit(std::move(result));
  flush();
}

void OutboxSender::retry_later() {
  retry_.expires_after(kOutboxRetryDelay);
  retry_.async_wait([this](const asio::error_code& error) {
    if (!error) flush();
  });
}

}  // namespace messenger
