#include <fmt/core.h>

#include "console.hpp"
#include "event_wait.hpp"
#include "receipt_book.hpp"
#include "script_modes.hpp"

namespace messenger::cli {
namespace {

Result<Chat> open_chat_with(Client& client, const std::string& name) {
  auto peer = client.find_user(name);
  if (!peer) return peer.error();
  return client.open_direct_chat(peer->id);
}

/// Waits until the receipts show `ack`'s message reached `wanted` for every other member.
Result<void> wait_for_status(Client& client, ReceiptBook& receipts, const SendAck& ack,
                             MessageStatus wanted, std::chrono::milliseconds timeout) {
  auto reached = [&] { return receipts.status_of_own(ack.chat_id, ack.seq) >= wanted; };
  if (reached()) return {};

  auto waited = wait_for_events(client, timeout, [&](const ClientEvent& event) -> Result<bool> {
    if (const auto* receipt = std::get_if<ReceiptEvent>(&event)) receipts.update(*receipt);
    if (const auto* chat = std::get_if<ChatEvent>(&event)) receipts.remember(chat->chat);
    return reached();
  });
  if (!waited && waited.code() == Errc::timeout) {
    return Error{Errc::timeout, fmt::format("message seq {} was not {} within {} ms", ack.seq,
                                            to_string(wanted), timeout.count())};
  }
  return waited;
}

}  // namespace

Result<void> run_send(Client& client, const Session& session, const CliOptions& options) {
  auto chat = open_chat_with(client, options.send_to);
  if (!chat) return chat.error();
  ReceiptBook receipts(session.user.id);
  receipts.remember(*chat);

  auto ack = client.send_message(chat->id, options.message, options.client_msg_id);
  if (!ack) return ack.error();
  print_line(fmt::format("sent chat={} seq={} id={}", ack->chat_id, ack->seq, ack->message_id));
  if (!options.wait_status) return {};

  auto waited = wait_for_status(client, receipts, *ack, *options.wait_status, options.timeout);
  if (!waited) return waited;
  // The asked status, not a later one that may already hold, keeps the output the same from
  // run to run.
  print_line(fmt::format("status seq={} {}", ack->seq, to_string(*options.wait_status)));
  return {};
}

}  // namespace messenger::cli
