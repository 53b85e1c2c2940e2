#pragma once

#include <optional>
#include <span>
#include <vector>

#include "messenger/result.hpp"
#include "messenger/types.hpp"

namespace messenger {

/// What a change to a group asks of the member who makes it.
enum class ChangeRight {
  member,  ///< any member (leaving)
  admin,   ///< an admin or the owner (adding, removing, renaming)
};

// Who may change a chat's members and title. Both store implementations use these, so they
// cannot disagree on the rules.

/// The member of `chat` who is `user`, or nullptr.
const ChatMember* find_chat_member(const Chat& chat, UserId user);

/// Checks that `by` may make a change with `right` to `chat` (nullptr when there is no such
/// chat). Errors: not_a_member (no such chat, or `by` is not in it), forbidden (a direct chat,
/// or a member without the right).
Result<void> check_group_change(const Chat* chat, ChatId id, UserId by, ChangeRight right);

/// Checks that `user` can be removed from `chat`. Errors: not_a_member, forbidden (the owner).
Result<void> check_removable(const Chat& chat, UserId user);

/// The users of `requested` who are not members of `chat` yet: each once, in id order.
std::vector<UserId> users_to_add(const Chat& chat, std::span<const UserId> requested);

/// The ids of the chat's members, in id order.
std::vector<UserId> member_ids(const Chat& chat);

/// Everyone who hears of a change: the members of `chat` after it and `gone`, in id order.
std::vector<UserId> users_to_notify(const Chat& chat, std::optional<UserId> gone = std::nullopt);

/// Who becomes owner when the owner leaves: the longest-standing admin, else the
/// longest-standing member. `candidates` are the remaining members with the cursor their
/// current membership began at; ties go to the lower user id.
struct OwnerCandidate {
  UserId user_id = 0;
  MemberRole role = MemberRole::member;
  Cursor member_since = 0;
};
std::optional<UserId> next_owner(std::span<const OwnerCandidate> candidates);

}  // namespace messenger
