#pragma once

#include <optional>

#include "messenger/types.hpp"

namespace messenger {

/// The watermarks `member` ends up with after asking for `delivered` and `seen`: both only move
/// forward, neither passes `last_seq`, and seen pulls delivered up with it. Both store
/// implementations use this, so they cannot disagree on the rules.
ChatMember advance_member_watermarks(ChatMember member, Seq last_seq, std::optional<Seq> delivered,
                                     std::optional<Seq> seen);

}  // namespace messenger
