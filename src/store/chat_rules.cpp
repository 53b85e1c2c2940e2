#include "store/chat_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace messenger {
namespace {

Error not_a_member(UserId user, ChatId chat) {
  return Error{Errc::not_a_member, fmt::format("user {} is not a member of chat {}", user, chat)};
}

}  // namespace

const ChatMember* find_chat_member(const Chat& chat, UserId user) {
  for (const ChatMember& member : chat.members) {
    if (member.user_id == user) return &member;
  }
  return nullptr;
}

Result<void> check_group_change(const Chat* chat, ChatId id, UserId by, ChangeRight right) {
  const ChatMember* member = chat ? find_chat_member(*chat, by) : nullptr;
  if (!member) return not_a_member(by, id);
  if (chat->kind == ChatKind::direct) {
    return Error{Errc::forbidden, "the members and title of a direct chat cannot change"};
  }
  if (right == ChangeRight::admin && member->role == MemberRole::member) {
    return Error{Errc::forbidden,
                 fmt::format("only an admin or the owner of chat {} may change it", id)};
  }
  return {};
}

Result<void> check_removable(const Chat& chat, UserId user) {
  const ChatMember* member = find_chat_member(chat, user);
  if (!member) return not_a_member(user, chat.id);
  if (member->role == MemberRole::owner) {
    return Error{Errc::forbidden, "the owner cannot be removed; the owner may leave"};
  }
  return {};
}

std::vector<UserId> users_to_add(const Chat& chat, std::span<const UserId> requested) {
  std::vector<UserId> users;
  for (UserId user : requested) {
    if (!find_chat_member(chat, user)) users.push_back(user);
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

std::vector<UserId> member_ids(const Chat& chat) {
  std::vector<UserId> ids;
  ids.reserve(chat.members.size());
  for (const ChatMember& member : chat.members) {
    ids.push_back(member.user_id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<UserId> users_to_notify(const Chat& chat, std::optional<UserId> gone) {
  std::vector<UserId> users = member_ids(chat);
  if (gone && !find_chat_member(chat, *gone)) {
    users.insert(std::lower_bound(users.begin(), users.end(), *gone), *gone);
  }
  return users;
}

std::optional<UserId> next_owner(std::span<const OwnerCandidate> candidates) {
  auto rank = [](const OwnerCandidate& c) {
    return std::tuple{c.role == MemberRole::member, c.member_since, c.user_id};
  };
  auto best = std::min_element(
      candidates.begin(), candidates.end(),
      [&](const OwnerCandidate& a, const OwnerCandidate& b) { return rank(a) < rank(b); });
  if (best == candidates.end()) return std::nullopt;
  return best->user_id;
}

}  // namespace messenger
