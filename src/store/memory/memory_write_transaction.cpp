#include "store/memory/memory_write_transaction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "store/chat_rules.hpp"
#include "store/watermarks.hpp"

namespace messenger {
namespace {

Error no_user(UserId user) {
  return Error{Errc::not_found, fmt::format("no user {}", user)};
}

Error finished_error() {
  return Error{Errc::internal, "the transaction is already committed"};
}

Error not_a_member(UserId user, ChatId chat) {
  return Error{Errc::not_a_member, fmt::format("user {} is not a member of chat {}", user, chat)};
}

void hand_over_ownership(MemoryState& state, ChatId chat) {
  std::vector<OwnerCandidate> candidates;
  for (const ChatMember& member : state.chats.at(chat).chat.members) {
    Cursor since = 0;
    for (const MemoryMembership& membership : state.users.at(member.user_id).memberships) {
      if (membership.chat_id == chat && membership.last == kOpenEnd) since = membership.first;
    }
    candidates.push_back({.user_id = member.user_id, .role = member.role, .member_since = since});
  }
  if (std::optional<UserId> owner = next_owner(candidates)) {
    state.chats.at(chat).find_member(*owner)->role = MemberRole::owner;
  }
}

}  // namespace

MemoryWriteTransaction::MemoryWriteTransaction(std::shared_ptr<MemoryShared> shared)
    : shared_(std::move(shared)), working_(shared_->working) {}

MemoryWriteTransaction::~MemoryWriteTransaction() {
  if (!committed_ && !pending_.empty()) {
    std::lock_guard lock(shared_->mutex);
    working_ = shared_->committed;
  }
  shared_->writing.store(false);
}

void MemoryWriteTransaction::apply(MemoryChange change) {
  change(working_);
  pending_.push_back(std::move(change));
}

Result<void> MemoryWriteTransaction::commit() {
  if (committed_) return finished_error();
  std::lock_guard lock(shared_->mutex);
  for (const MemoryChange& change : pending_) {
    change(shared_->committed);
  }
  pending_.clear();
  committed_ = true;
  return {};
}

Result<User> MemoryWriteTransaction::create_user(std::string_view name,
                                                 std::string_view password_hash, Timestamp now) {
  if (committed_) return finished_error();
  std::string key = name_key(name);
  if (working_.user_by_name.contains(key)) {
    return Error{Errc::name_taken, fmt::format("the name '{}' is taken", name)};
  }

  MemoryUser row{User{working_.next_user_id, std::string(name), now}, std::string(password_hash)};
  apply([row, key](MemoryState& state) {
    state.users[row.user.id] = row;
    state.user_by_name[key] = row.user.id;
    state.next_user_id = row.user.id + 1;
  });
  return row.user;
}

Result<SessionRecord> MemoryWriteTransaction::create_session(UserId user,
                                                             std::string_view token_hash,
                                                             std::string_view device,
                                                             Timestamp now) {
  if (committed_) return finished_error();
  if (!working_.users.contains(user)) return no_user(user);

  SessionRecord record{working_.next_session_id, user, std::string(device), now};
  apply([session = MemorySession{record, std::string(token_hash)}](MemoryState& state) {
    state.sessions[session.record.id] = session;
    state.session_by_token_hash[session.token_hash] = session.record.id;
    state.next_session_id = session.record.id + 1;
  });
  return record;
}

Result<void> MemoryWriteTransaction::delete_session(SessionId session) {
  if (committed_) return finished_error();
  if (!working_.sessions.contains(session)) {
    return Error{Errc::not_found, fmt::format("no session {}", session)};
  }

  apply([session](MemoryState& state) {
    auto found = state.sessions.find(session);
    state.session_by_token_hash.erase(found->second.token_hash);
    state.sessions.erase(found);
  });
  return {};
}

Result<std::vector<SessionId>> MemoryWriteTransaction::delete_sessions_of_user(UserId user,
                                                                               SessionId keep) {
  if (committed_) return finished_error();
  std::vector<SessionId> removed;
  for (const auto& [id, session] : working_.sessions) {
    if (session.record.user_id == user && id != keep) removed.push_back(id);
  }

  apply([removed](MemoryState& state) {
    for (SessionId id : removed) {
      auto found = state.sessions.find(id);
      state.session_by_token_hash.erase(found->second.token_hash);
      state.sessions.erase(found);
    }
  });
  return removed;
}

Result<void> MemoryWriteTransaction::check_users_exist(const std::vector<UserId>& users) const {
  for (UserId user : users) {
    if (!working_.users.contains(user)) return no_user(user);
  }
  return {};
}

ChatMember MemoryWriteTransaction::new_member(UserId user, MemberRole role) const {
  return ChatMember{.user_id = user, .name = working_.users.at(user).user.name, .role = role};
}

const Chat* MemoryWriteTransaction::find_chat(ChatId chat) const {
  auto found = working_.chats.find(chat);
  return found == working_.chats.end() ? nullptr : &found->second.chat;
}

// `chat.members` holds the members, ordered by user id, each with its role.
std::pair<Chat, Cursor> MemoryWriteTransaction::add_chat(Chat chat, Timestamp now) {
  chat.id = working_.next_chat_id;
  chat.created_at = now;
  apply([chat, now](MemoryState& state) {
    MemoryChat& stored = state.chats[chat.id];
    stored.chat = chat;
    stored.chat.members.clear();
    stored.last_activity = now;
    if (chat.kind == ChatKind::direct) {
      state.direct_chats[{chat.members.front().user_id, chat.members.back().user_id}] = chat.id;
    }
    state.next_chat_id = chat.id + 1;
    Cursor cursor = add_chat_update(state, chat.id, std::nullopt);
    for (const ChatMember& member : chat.members) {
      start_membership(state, chat.id, member, cursor);
    }
  });
  return {chat, working_.chats.at(chat.id).updates.back().cursor};
}

Result<void> MemoryWriteTransaction::set_password_hash(UserId user,
                                                       std::string_view password_hash) {
  if (committed_) return finished_error();
  if (!working_.users.contains(user)) return no_user(user);
  apply([user, hash = std::string(password_hash)](MemoryState& state) {
    state.users.at(user).password_hash = hash;
  });
  return {};
}

Result<bool> MemoryWriteTransaction::replace_password_hash(UserId user, std::string_view expected,
                                                           std::string_view replacement) {
  if (committed_) return finished_error();
  if (!working_.users.contains(user)) return false;
  if (working_.users.at(user).password_hash != expected) return false;
  apply([user, hash = std::string(replacement)](MemoryState& state) {
    state.users.at(user).password_hash = hash;
  });
  return true;
}

Result<void> MemoryWriteTransaction::set_last_seen(UserId user, Timestamp when) {
  if (committed_) return finished_error();
  if (!working_.users.contains(user)) return no_user(user);
  apply([user, when](MemoryState& state) { state.users.at(user).user.last_seen = when; });
  return {};
}

Result<DirectChatResult> MemoryWriteTransaction::open_direct_chat(UserId a, UserId b,
                                                                  Timestamp now) {
  if (committed_) return finished_error();
  std::pair key{std::min(a, b), std::max(a, b)};
  if (auto found = working_.direct_chats.find(key); found != working_.direct_chats.end()) {
    return DirectChatResult{working_.chats.at(found->second).chat, false};
  }
  std::vector<UserId> users{key.first};
  if (key.second != key.first) users.push_back(key.second);
  if (auto exist = check_users_exist(users); !exist) return exist.error();

  Chat chat{.kind = ChatKind::direct, .title = "", .members = {}};
  for (UserId user : users) {
    chat.members.push_back(new_member(user, MemberRole::member));
  }
  auto [stored, cursor] = add_chat(std::move(chat), now);
  return DirectChatResult{std::move(stored), true, cursor};
}

Result<ChatChange> MemoryWriteTransaction::create_group_chat(UserId creator, std::string_view title,
                                                             std::span<const UserId> members,
                                                             Timestamp now) {
  if (committed_) return finished_error();
  std::vector<UserId> users(members.begin(), members.end());
  users.push_back(creator);
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  if (auto exist = check_users_exist(users); !exist) return exist.error();

  Chat chat{.kind = ChatKind::group, .title = std::string(title), .members = {}};
  for (UserId user : users) {
    MemberRole role = user == creator ? MemberRole::owner : MemberRole::member;
    chat.members.push_back(new_member(user, role));
  }
  auto [stored, cursor] = add_chat(std::move(chat), now);
  return ChatChange{.chat = std::move(stored),
                    .added = users,
                    .added_cursors = std::vector<Cursor>(users.size(), cursor),
                    .notify = users};
}

ChatChange MemoryWriteTransaction::finish_change(ChatId chat, std::size_t records,
                                                 std::optional<UserId> gone) const {
  const MemoryChat& stored = working_.chats.at(chat);
  ChatChange change{.chat = stored.chat};
  change.messages.assign(stored.messages.end() - static_cast<std::ptrdiff_t>(records),
                         stored.messages.end());
  if (records > 0) change.notify = users_to_notify(stored.chat, gone);
  return change;
}

Result<ChatChange> MemoryWriteTransaction::add_members(ChatId chat, UserId by,
                                                       std::span<const UserId> users,
                                                       Timestamp now) {
  if (committed_) return finished_error();
  const Chat* target = find_chat(chat);
  if (auto allowed = check_group_change(target, chat, by, ChangeRight::admin); !allowed) {
    return allowed.error();
  }
  std::vector<UserId> joining = users_to_add(*target, users);
  if (auto exist = check_users_exist(joining); !exist) return exist.error();
  if (joining.empty()) return ChatChange{.chat = *target};

  // Those who join together all read the records of their joining; the records before them
  // count as read.
  std::vector<ChatMember> members;
  for (UserId user : joining) {
    members.push_back(new_member(user, MemberRole::member));
  }
  apply([chat, by, now, members](MemoryState& state) {
    Seq before = state.chats.at(chat).chat.last_seq;
    Cursor first = 0;
    for (const ChatMember& member : members) {
      Message record{.chat_id = chat,
                     .sender_id = by,
                     .created_at = now,
                     .kind = MessageKind::member_added,
                     .subject_id = member.user_id};
      Cursor cursor = store_message(state, std::move(record)).id;
      if (first == 0) first = cursor;
    }
    for (ChatMember member : members) {
      member.delivered_seq = member.seen_seq = before;
      start_membership(state, chat, member, first);
      add_chat_update(state, chat, member.user_id);
    }
  });

  ChatChange change = finish_change(chat, joining.size());
  for (UserId user : joining) {
    change.added_cursors.push_back(working_.users.at(user).chat_updates.back().cursor);
  }
  change.added = std::move(joining);
  return change;
}

Result<ChatChange> MemoryWriteTransaction::remove_member(ChatId chat, UserId by, UserId user,
                                                         Timestamp now) {
  if (committed_) return finished_error();
  const Chat* target = find_chat(chat);
  if (auto allowed = check_group_change(target, chat, by, ChangeRight::admin); !allowed) {
    return allowed.error();
  }
  if (auto removable = check_removable(*target, user); !removable) return removable.error();

  apply([chat, by, user, now](MemoryState& state) {
    Message record{.chat_id = chat,
                   .sender_id = by,
                   .created_at = now,
                   .kind = MessageKind::member_removed,
                   .subject_id = user};
    Cursor cursor = store_message(state, std::move(record)).id;
    end_membership(state, chat, user, cursor);
  });
  return finish_change(chat, 1, user);
}

Result<ChatChange> MemoryWriteTransaction::leave_chat(ChatId chat, UserId user, Timestamp now) {
  if (committed_) return finished_error();
  const Chat* target = find_chat(chat);
  if (auto allowed = check_group_change(target, chat, user, ChangeRight::member); !allowed) {
    return allowed.error();
  }
  bool owner = find_chat_member(*target, user)->role == MemberRole::owner;

  apply([chat, user, now, owner](MemoryState& state) {
    Message record{.chat_id = chat,
                   .sender_id = user,
                   .created_at = now,
                   .kind = MessageKind::member_left,
                   .subject_id = user};
    Cursor cursor = store_message(state, std::move(record)).id;
    end_membership(state, chat, user, cursor);
    if (owner) hand_over_ownership(state, chat);
  });
  return finish_change(chat, 1, user);
}

Result<ChatChange> MemoryWriteTransaction::rename_chat(ChatId chat, UserId by,
                                                       std::string_view title, Timestamp now) {
  if (committed_) return finished_error();
  const Chat* target = find_chat(chat);
  if (auto allowed = check_group_change(target, chat, by, ChangeRight::admin); !allowed) {
    return allowed.error();
  }
  if (target->title == title) return ChatChange{.chat = *target};

  apply([chat, by, now, title = std::string(title)](MemoryState& state) {
    Message record{.chat_id = chat,
                   .sender_id = by,
                   .text = title,
                   .created_at = now,
                   .kind = MessageKind::chat_renamed};
    store_message(state, std::move(record));
    state.chats.at(chat).chat.title = title;
  });
  return finish_change(chat, 1);
}

Result<AppendResult> MemoryWriteTransaction::append_message(const NewMessage& message) {
  if (committed_) return finished_error();
  auto found = working_.chats.find(message.chat_id);
  if (found == working_.chats.end()) {
    return Error{Errc::not_found, fmt::format("no chat {}", message.chat_id)};
  }
  const MemoryChat& chat = found->second;
  if (!chat.find_member(message.sender_id)) {
    return not_a_member(message.sender_id, message.chat_id);
  }
  std::pair client_key{message.sender_id, message.client_msg_id};
  if (auto first = chat.seq_by_client_msg_id.find(client_key);
      !message.client_msg_id.empty() && first != chat.seq_by_client_msg_id.end()) {
    const Message& stored = chat.messages.at(static_cast<std::size_t>(first->second - 1));
    return AppendResult{stored, true, stored.id, member_ids(chat.chat)};
  }

  apply([message](MemoryState& state) {
    store_message(state, Message{.chat_id = message.chat_id,
                                 .sender_id = message.sender_id,
                                 .client_msg_id = message.client_msg_id,
                                 .text = message.text,
                                 .created_at = message.created_at});
  });
  const Message& stored = chat.messages.back();
  return AppendResult{stored, false, stored.id, member_ids(chat.chat)};
}

Result<WatermarkResult> MemoryWriteTransaction::advance_watermarks(ChatId chat, UserId user,
                                                                   std::optional<Seq> delivered,
                                                                   std::optional<Seq> seen) {
  if (committed_) return finished_error();
  auto found = working_.chats.find(chat);
  const ChatMember* member =
      found == working_.chats.end() ? nullptr : found->second.find_member(user);
  if (!member) return not_a_member(user, chat);

  ChatMember after =
      advance_member_watermarks(*member, found->second.chat.last_seq, delivered, seen);
  WatermarkResult result{
      .member = after,
      .moved = after.delivered_seq != member->delivered_seq || after.seen_seq != member->seen_seq};
  if (result.moved) {
    apply([chat, after](MemoryState& state) {
      MemoryChat& target = state.chats.at(chat);
      *target.find_member(after.user_id) = after;
      target.updates.push_back({.cursor = state.next_cursor++,
                                .kind = UpdateKind::receipt,
                                .member_id = after.user_id,
                                .delivered_seq = after.delivered_seq,
                                .seen_seq = after.seen_seq});
    });
    result.cursor = found->second.updates.back().cursor;
  }
  result.members = member_ids(found->second.chat);
  return result;
}

}  // namespace messenger
