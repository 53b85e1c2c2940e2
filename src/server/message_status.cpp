#include "server/message_status.hpp"

#include <algorithm>
#include <limits>

namespace messenger {

MessageStatus status_for(const Chat& chat, UserId viewer, const Message& message) {
  if (message.sender_id != viewer) {
    for (const auto& member : chat.members) {
      if (member.user_id != viewer) continue;
      if (member.seen_seq >= message.seq) return MessageStatus::seen;
      if (member.delivered_seq >= message.seq) return MessageStatus::delivered;
      return MessageStatus::sent;
    }
    return MessageStatus::sent;
  }

  Seq delivered = std::numeric_limits<Seq>::max();
  Seq seen = std::numeric_limits<Seq>::max();
  for (const auto& member : chat.members) {
    if (member.user_id == viewer) continue;
    delivered = std::min(delivered, member.delivered_seq);
    seen = std::min(seen, member.seen_seq);
  }
  if (seen >= message.seq) return MessageStatus::seen;
  if (delivered >= message.seq) return MessageStatus::delivered;
  return MessageStatus::sent;
}

}  // namespace messenger
