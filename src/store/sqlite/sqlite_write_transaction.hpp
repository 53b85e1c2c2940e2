#pragma once

#include <memory>
#include <string_view>

#include "messenger/store.hpp"
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
  Result<std::vector<SessionId>> delete_sessions_of_user(UserId user) override;
  Result<DirectChatResult> open_direct_chat(UserId a, UserId b, Timestamp now) override;
  Result<Chat> create_group_chat(UserId creator, std::string_view title,
                                 std::span<const UserId> members, Timestamp now) override;
  Result<AppendResult> append_message(const NewMessage& message) override;
  Result<WatermarkResult> advance_watermarks(ChatId chat, UserId user, std::optional<Seq> delivered,
                                             std::optional<Seq> seen) override;
  Result<void> commit() override;

 private:
  enum class State { open, committed, failed };

  template <typename T, typename Body>
  Result<T> run_operation(std::string_view name, Body&& body);
  void undo_operation() noexcept;
  void roll_back() noexcept;
  Error unusable_error() const;

  /// Errors: not_found.
  Result<std::string> user_name(UserId user);
  /// The members of a new chat: each user once, ordered by id, with their names; `owner` gets
  /// that role. Errors: not_found.
  Result<std::vector<ChatMember>> new_members(std::vector<UserId> users, UserId owner);
  /// Stores `chat` with its members and fills in its id.
  void insert_chat(Chat& chat, const std::string* direct_key);
  /// The chat's last seq, when `sender` may post in it.
  Result<Seq> last_seq_for_sender(ChatId chat, UserId sender);
  /// Stores `message` and fills in its id; false when its client_msg_id is already stored.
  bool insert_message(Message& message);
  Result<Message> find_by_client_msg_id(const NewMessage& message);
  void record_append(const Message& message);
  void set_watermarks(ChatId chat, UserId user, Seq delivered, Seq seen);

  std::shared_ptr<SqliteWriter> writer_;
  State state_ = State::open;
};

}  // namespace messenger
