#include "client/delivery_acks.hpp"

#include <algorithm>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

namespace messenger {
namespace {

// A refusal that will not change on retry: the user left the chat, or the seq is wrong.
bool is_final(Errc code) {
  return code == Errc::not_a_member || code == Errc::not_found || code == Errc::bad_request ||
         code == Errc::forbidden;
}

}  // namespace

void DeliveryAcks::want(ChatId chat, Seq seq) {
  auto& owed = owed_[chat];
  owed = std::max(owed, seq);
  if (flush_scheduled_) return;
  flush_scheduled_ = true;
  asio::post(io_, [this] {
    flush_scheduled_ = false;
    flush();
  });
}

void DeliveryAcks::flush() {
  for (auto [chat, seq] : owed_) {
    auto sending = sending_.find(chat);
    if (sending != sending_.end() && sending->second >= seq) continue;
    sending_[chat] = seq;
    send_(protocol::AckDelivered{chat, seq},
          [this, epoch = epoch_, chat = chat, seq = seq](Result<protocol::ServerFrame> reply) {
            on_reply(epoch, chat, seq, reply);
          });
  }
}

void DeliveryAcks::connection_lost() {
  ++epoch_;
  sending_.clear();
}

void DeliveryAcks::on_reply(std::uint64_t epoch, ChatId chat, Seq seq,
                            const Result<protocol::ServerFrame>& reply) {
  if (epoch != epoch_) return;
  auto sending = sending_.find(chat);
  if (sending != sending_.end() && sending->second == seq) sending_.erase(sending);

  auto error = !reply ? std::optional<Error>(reply.error()) : reply->error();
  if (error && !is_final(error->code)) return;  // still owed: sent again on the next flush
  auto owed = owed_.find(chat);
  if (owed != owed_.end() && owed->second <= seq) owed_.erase(owed);
}

}  // namespace messenger
