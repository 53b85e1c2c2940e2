#pragma once

#include <memory>
#include <vector>

#include "messenger/store.hpp"
#include "store/memory/memory_state.hpp"

namespace messenger {

/// A write transaction on a memory store. Each operation checks everything first and then
/// changes the working state in one step, so a failing one changes nothing. Destroying the
/// transaction before `commit` puts the working state back to the committed one.
class MemoryWriteTransaction final : public WriteTransaction {
 public:
  /// Takes shared state whose `writing` the caller has set; hands it back when destroyed.
  explicit MemoryWriteTransaction(std::shared_ptr<MemoryShared> shared);
  ~MemoryWriteTransaction() override;
  MemoryWriteTransaction(const MemoryWriteTransaction&) = delete;
  MemoryWriteTransaction& operator=(const MemoryWriteTransaction&) = delete;

  Result<User> create_user(std::string_view name, std::string_view password_hash,
                           Timestamp now) override;
  Result<SessionRecord> create_session(UserId user, std::string_view token_hash,
                                       std::string_view device, Timestamp now) override;
  Result<void> delete_session(SessionId session) override;
  Result<std::vector<SessionId>> delete_sessions_of_user(UserId user, SessionId keep) override;
  Result<void> set_password_hash(UserId user, std::string_view password_hash) override;
  Result<bool> replace_password_hash(UserId user, std::string_view expected,
                                     std::string_view replacement) override;
  Result<DirectChatResult> open_direct_chat(UserId a, UserId b, Timestamp now) override;
  Result<ChatChange> create_group_chat(UserId creator, std::string_view title,
                                       std::span<const UserId> members, Timestamp now) override;
  Result<ChatChange> add_members(ChatId chat, UserId by, std::span<const UserId> users,
                                 Timestamp now) override;
  Result<ChatChange> remove_member(ChatId chat, UserId by, UserId user, Timestamp now) override;
  Result<ChatChange> leave_chat(ChatId chat, UserId user, Timestamp now) override;
  Result<ChatChange> rename_chat(ChatId chat, UserId by, std::string_view title,
                                 Timestamp now) override;
  Result<void> set_last_seen(UserId user, Timestamp when) override;
  Result<AppendResult> append_message(const NewMessage& message) override;
  Result<WatermarkResult> advance_watermarks(ChatId chat, UserId user, std::optional<Seq> delivered,
                                             std::optional<Seq> seen) override;
  Result<void> commit() override;

 private:
  void apply(MemoryChange change);
  /// Stores a new chat with its members and the chat update that tells them; returns the chat
  /// as stored and that update's cursor.
  std::pair<Chat, Cursor> add_chat(Chat chat, Timestamp now);
  Result<void> check_users_exist(const std::vector<UserId>& users) const;
  ChatMember new_member(UserId user, MemberRole role) const;
  /// The chat in the working state, or nullptr.
  const Chat* find_chat(ChatId chat) const;
  /// The change as callers see it, once its `records` newest messages are written.
  ChatChange finish_change(ChatId chat, std::size_t records,
                           std::optional<UserId> gone = std::nullopt) const;

  std::shared_ptr<MemoryShared> shared_;
  MemoryState& working_;
  std::vector<MemoryChange> pending_;
  bool committed_ = false;
};

}  // namespace messenger
