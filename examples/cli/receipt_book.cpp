#include "receipt_book.hpp"

#include <algorithm>

namespace messenger::cli {

ReceiptBook::ReceiptBook(UserId me) : me_(me) {}

void ReceiptBook::remember(const Chat& chat) {
  chats_[chat.id];
  for (const auto& member : chat.members) {
    raise(chat.id, member.user_id, member.delivered_seq, member.seen_seq);
  }
}

void ReceiptBook::update(const ReceiptEvent& receipt) {
  // A chat not remembered has an unknown member list: a lone receipt would make it look
  // complete.
  if (!chats_.contains(receipt.chat_id)) return;
  raise(receipt.chat_id, receipt.user_id, receipt.delivered_seq, receipt.seen_seq);
}

// Watermarks only move forward; a snapshot older than a receipt already applied must not pull
// them back.
void ReceiptBook::raise(ChatId chat, UserId user, Seq delivered, Seq seen) {
  if (user == me_) return;
  Watermarks& marks = chats_[chat][user];
  marks.delivered = std::max({marks.delivered, delivered, seen});
  marks.seen = std::max(marks.seen, seen);
}

MessageStatus ReceiptBook::status_of_own(ChatId chat, Seq seq) const {
  auto found = chats_.find(chat);
  if (found == chats_.end()) return MessageStatus::sent;
  bool all_delivered = true;
  bool all_seen = true;
  for (const auto& [user, marks] : found->second) {
    all_delivered = all_delivered && marks.delivered >= seq;
    all_seen = all_seen && marks.seen >= seq;
  }
  if (all_seen) return MessageStatus::seen;
  if (all_delivered) return MessageStatus::delivered;
  return MessageStatus::sent;
}

}  // namespace messenger::cli
