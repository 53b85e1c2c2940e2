#include "store/memory/memory_write_transaction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

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

Result<std::vector<SessionId>> MemoryWriteTransaction::delete_sessions_of_user(UserId user) {
  if (committed_) return finished_error();
  std::vector<SessionId> removed;
  for (const auto& [id, session] : working_.sessions) {
    if (session.record.user_id == user) removed.push_back(id);
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

// `chat.members` holds the members, ordered by user id, each with its role.
Chat MemoryWriteTransaction::add_chat(Chat chat, Timestamp now) {
  chat.id = working_.next_chat_id;
  chat.created_at = now;
  apply([chat, now](MemoryState& state) {
    MemoryChat& stored = state.chats[chat.id];
    stored.chat = chat;
    stored.last_activity = now;
    for (const ChatMember& member : chat.members) {
      state.chats_of_user[member.user_id].insert(chat.id);
    }
    if (chat.kind == ChatKind::direct) {
      state.direct_chats[{chat.members.front().user_id, chat.members.back().user_id}] = chat.id;
    }
    state.next_chat_id = chat.id + 1;
  });
  return chat;
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
  return DirectChatResult{add_chat(std::move(chat), now), true};
}

Result<Chat> MemoryWriteTransaction::create_group_chat(UserId creator, std::string_view title,
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
  return add_chat(std::move(chat), now);
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
    return AppendResult{chat.messages.at(static_cast<std::size_t>(first->second - 1)), true};
  }

  Message stored{.id = working_.next_message_id,
                 .chat_id = message.chat_id,
                 .seq = chat.chat.last_seq + 1,
                 .sender_id = message.sender_id,
                 .client_msg_id = message.client_msg_id,
                 .text = message.text,
                 .created_at = message.created_at};
  apply([stored](MemoryState& state) {
    MemoryChat& target = state.chats.at(stored.chat_id);
    target.messages.push_back(stored);
    target.chat.last_seq = stored.seq;
    target.last_activity = std::max(target.last_activity, stored.created_at);
    if (!stored.client_msg_id.empty()) {
      target.seq_by_client_msg_id[{stored.sender_id, stored.client_msg_id}] = stored.seq;
    }
    ChatMember* sender = target.find_member(stored.sender_id);
    sender->delivered_seq = stored.seq;
    sender->seen_seq = stored.seq;
    state.next_message_id = stored.id + 1;
  });
  return AppendResult{std::move(stored), false};
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
  bool moved = after.delivered_seq != member->delivered_seq || after.seen_seq != member->seen_seq;
  if (moved) {
    apply([chat, after](MemoryState& state) {
      *state.chats.at(chat).find_member(after.user_id) = after;
    });
  }
  return WatermarkResult{after, moved};
}

}  // namespace messenger
