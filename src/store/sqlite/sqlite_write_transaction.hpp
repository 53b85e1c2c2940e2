#pragma once

#include <memory>
#include <string_view>

#include "messenger/store.hpp"
#include "store/chat_rules.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_writer.hpp"

namespace messenger {

/// One BEGIN IMMEDIATE ... COMMIT on the writer connection. Each operation runs inside a
/// savepoint, so a failing one is undone alone and the transaction goes on. Destroying the
/// transaction before `commit` rolls everything back.
class SqliteWriteTransaction final : public WriteTransaction {
 public:
  /// Takes a writer whose `in_use` the caller has set and on which BEGIN has run; hands
  /// `in_use` back when destroyed.
  explicit SqliteWriteTransaction(std::shared_ptr<SqliteWriter> writer);
  ~SqliteWriteTransaction() override;
  SqliteWriteTransaction(const SqliteWriteTransaction&) = delete;
  SqliteWriteTransaction& operator=(const SqliteWriteTransaction&) = delete;

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
  enum class State { open, committed, failed };

  /// Runs one operation inside a savepoint: a failure, returned or thrown, undoes it alone.
  template <typename T, typename Body>
  Result<T> run_operation(std::string_view name, Body&& body) {
    if (state_ != State::open) return unusable_error();
    try {
      run(writer_->savepoint);
      Result<T> result = body();
      if (!result.ok()) run(writer_->rollback_to_savepoint);
      run(writer_->release_savepoint);
      return result;
    } catch (const SQLite::Exception& failure) {
      undo_operation();
      return storage_error(name, failure);
    }
  }
  void undo_operation() noexcept;
  void roll_back() noexcept;
  Error unusable_error() const;

  /// Errors: not_found.
  Result<std::string> user_name(UserId user);
  /// The members of a new chat: each user once, ordered by id, with their names; `owner` gets
  /// that role. Errors: not_found.
  Result<std::vector<ChatMember>> new_members(std::vector<UserId> users, UserId owner);
  /// Stores `chat` with its members and fills in its id, then the chat update that tells every
  /// member, where their memberships begin; returns that update's cursor.
  Cursor insert_chat(Chat& chat, const std::string* direct_key);
  /// Makes `member` (with its role and watermarks) a member of `chat` from the update `first`.
  void start_membership(ChatId chat, const ChatMember& member, Cursor first, Timestamp now);
  std::vector<UserId> chat_member_ids(ChatId chat);
  /// The chat's members, when `sender` is one of them, and its last seq.
  Result<std::vector<UserId>> members_for_sender(ChatId chat, UserId sender, Seq& last_seq);
  /// Stores `message` with the id of a new update; false (and no update) when its
  /// client_msg_id is already stored.
  bool insert_message(Message& message);
  Result<Message> find_by_client_msg_id(const NewMessage& message);
  void record_append(const Message& message);
  void set_watermarks(ChatId chat, UserId user, Seq delivered, Seq seen);
  Cursor insert_chat_update(ChatId chat, std::optional<UserId> addressee);

  /// The chat, when it exists. Throws SQLite::Exception.
  std::optional<Chat> load_chat(ChatId chat);
  /// The chat, when `by` may change it with `right` (see `check_group_change`).
  Result<Chat> load_for_change(ChatId chat, UserId by, ChangeRight right);
  /// Writes a record of a change into the chat's order after `chat.last_seq`, and moves that
  /// on.
  Message append_record(Chat& chat, UserId sender, MessageKind kind, UserId subject,
                        std::string text, Timestamp now);
  /// Ends `user`'s membership of `chat` at the update `last`.
  void end_membership(ChatId chat, UserId user, Cursor last);
  /// After the owner left: makes `next_owner` of the rest the owner.
  void hand_over_ownership(ChatId chat);
  /// The change as callers see it: the chat read back, and who to tell.
  ChatChange finish_change(ChatId chat, std::vector<Message> records,
                           std::optional<UserId> gone = std::nullopt);

  std::shared_ptr<SqliteWriter> writer_;
  State state_ = State::open;
};

}  // namespace messenger
