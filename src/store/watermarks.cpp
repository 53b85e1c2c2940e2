#include "store/watermarks.hpp"

#include <algorithm>

namespace messenger {

ChatMember advance_member_watermarks(ChatMember member, Seq last_seq, std::optional<Seq> delivered,
                                     std::optional<Seq> seen) {
  if (delivered) {
    member.delivered_seq = std::max(member.delivered_seq, std::min(*delivered, last_seq));
  }
  if (seen) member.seen_seq = std::max(member.seen_seq, std::min(*seen, last_seq));
  member.delivered_seq = std::max(member.delivered_seq, member.seen_seq);
  return member;
}

}  // namespace messenger
