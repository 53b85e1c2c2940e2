#include "store/sqlite/sqlite_write_transaction.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <utility>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/watermarks.hpp"

namespace messenger {
namespace {

// Direct chats have no owner; user ids start at 1.
constexpr UserId kNoOwner = 0;

std::string direct_chat_key(UserId a, UserId b) {
  return fmt::format("{}:{}", std::min(a, b), std::max(a, b));
}

void bind_text(SQLite::Statement& statement, int index, std::string_view text) {
  statement.bind(index, std::string(text));
}

// An empty client_msg_id is no idempotency key; NULL keeps it out of the UNIQUE constraint.
void bind_client_msg_id(SQLite::Statement& statement, int index, const std::string& id) {
  if (id.empty()) {
    statement.bind(index);
  } else {
    statement.bindNoCopy(index, id);
  }
}

}  // namespace

SqliteWriteTransaction::SqliteWriteTransaction(std::shared_ptr<SqliteWriter> writer)
    : writer_(std::move(writer)) {}

SqliteWriteTransaction::~SqliteWriteTransaction() {
  if (state_ != State::committed) roll_back();
  writer_->in_use.store(false);
}

template <typename T, typename Body>
Result<T> SqliteWriteTransaction::run_operation(std::string_view name, Body&& body) {
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

void SqliteWriteTransaction::undo_operation() noexcept {
  // Some failures (I/O, a full disk, out of memory) make SQLite roll back the whole
  // transaction; then the earlier operations are gone too and the transaction cannot go on.
  if (sqlite3_get_autocommit(writer_->db.getHandle()) != 0) {
    state_ = State::failed;
    return;
  }
  try {
    run(writer_->rollback_to_savepoint);
    run(writer_->release_savepoint);
  } catch (const SQLite::Exception&) {
    state_ = State::failed;
    roll_back();
  }
}

void SqliteWriteTransaction::roll_back() noexcept {
  if (sqlite3_get_autocommit(writer_->db.getHandle()) != 0) return;
  writer_->rollback.tryExecuteStep();
  writer_->rollback.tryReset();
}

Error SqliteWriteTransaction::unusable_error() const {
  if (state_ == State::failed) {
    return Error{Errc::storage_error,
                 "an earlier storage failure rolled this transaction back; nothing was kept"};
  }
  return Error{Errc::internal, "the transaction is already committed"};
}

Result<void> SqliteWriteTransaction::commit() {
  if (state_ != State::open) return unusable_error();
  try {
    run(writer_->commit);
    state_ = State::committed;
    writer_->checkpoint_if_due();
    return {};
  } catch (const SQLite::Exception& failure) {
    state_ = State::failed;
    roll_back();
    return storage_error("commit", failure);
  }
}

Result<std::string> SqliteWriteTransaction::user_name(UserId user) {
  SQLite::Statement& query = writer_->user_name;
  StatementReset reset(query);
  query.bind(1, user);
  if (!query.executeStep()) return Error{Errc::not_found, fmt::format("no user {}", user)};
  return query.getColumn(0).getString();
}

Result<std::vector<ChatMember>> SqliteWriteTransaction::new_members(std::vector<UserId> users,
                                                                    UserId owner) {
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  std::vector<ChatMember> members;
  for (UserId user : users) {
    Result<std::string> name = user_name(user);
    if (!name) return name.error();
    MemberRole role = user == owner ? MemberRole::owner : MemberRole::member;
    members.push_back(ChatMember{.user_id = user, .name = std::move(*name), .role = role});
  }
  return members;
}

void SqliteWriteTransaction::insert_chat(Chat& chat, const std::string* direct_key) {
  {
    SQLite::Statement& insert = writer_->insert_chat;
    StatementReset reset(insert);
    insert.bind(1, to_string(chat.kind));
    insert.bind(2, chat.title);
    insert.bind(3, chat.created_at);
    insert.bind(4, chat.created_at);
    if (direct_key) {
      insert.bindNoCopy(5, *direct_key);
    } else {
      insert.bind(5);
    }
    insert.exec();
    chat.id = writer_->db.getLastInsertRowid();
  }

  SQLite::Statement& insert = writer_->insert_member;
  for (const ChatMember& member : chat.members) {
    StatementReset reset(insert);
    insert.bind(1, chat.id);
    insert.bind(2, member.user_id);
    insert.bind(3, to_string(member.role));
    insert.bind(4, chat.created_at);
    insert.exec();
  }
}

Result<User> SqliteWriteTransaction::create_user(std::string_view name,
                                                 std::string_view password_hash, Timestamp now) {
  return run_operation<User>("create_user", [&]() -> Result<User> {
    SQLite::Statement& insert = writer_->insert_user;
    StatementReset reset(insert);
    bind_text(insert, 1, name);
    bind_text(insert, 2, password_hash);
    insert.bind(3, now);
    if (insert.exec() == 0) {
      return Error{Errc::name_taken, fmt::format("the name '{}' is taken", name)};
    }
    return User{writer_->db.getLastInsertRowid(), std::string(name), now};
  });
}

Result<SessionRecord> SqliteWriteTransaction::create_session(UserId user,
                                                             std::string_view token_hash,
                                                             std::string_view device,
                                                             Timestamp now) {
  return run_operation<SessionRecord>("create_session", [&]() -> Result<SessionRecord> {
    if (auto exists = user_name(user); !exists) return exists.error();

    SQLite::Statement& insert = writer_->insert_session;
    StatementReset reset(insert);
    insert.bind(1, user);
    insert.bind(2, token_hash.data(), static_cast<int>(token_hash.size()));
    bind_text(insert, 3, device);
    insert.bind(4, now);
    insert.exec();
    return SessionRecord{writer_->db.getLastInsertRowid(), user, std::string(device), now};
  });
}

Result<void> SqliteWriteTransaction::delete_session(SessionId session) {
  return run_operation<void>("delete_session", [&]() -> Result<void> {
    SQLite::Statement& remove = writer_->delete_session;
    StatementReset reset(remove);
    remove.bind(1, session);
    if (remove.exec() == 0) return Error{Errc::not_found, fmt::format("no session {}", session)};
    return {};
  });
}

Result<std::vector<SessionId>> SqliteWriteTransaction::delete_sessions_of_user(UserId user) {
  using Ids = std::vector<SessionId>;
  return run_operation<Ids>("delete_sessions_of_user", [&]() -> Result<Ids> {
    SQLite::Statement& remove = writer_->delete_sessions_of_user;
    StatementReset reset(remove);
    remove.bind(1, user);
    Ids removed;
    while (remove.executeStep()) {
      removed.push_back(remove.getColumn(0).getInt64());
    }
    std::sort(removed.begin(), removed.end());
    return removed;
  });
}

Result<DirectChatResult> SqliteWriteTransaction::open_direct_chat(UserId a, UserId b,
                                                                  Timestamp now) {
  return run_operation<DirectChatResult>("open_direct_chat", [&]() -> Result<DirectChatResult> {
    std::string key = direct_chat_key(a, b);
    {
      SQLite::Statement& find = writer_->find_direct_chat;
      StatementReset reset(find);
      find.bindNoCopy(1, key);
      if (find.executeStep()) {
        std::optional<Chat> chat = writer_->chats.load(find.getColumn(0).getInt64());
        if (!chat) return Error{Errc::internal, "a direct chat vanished while being read"};
        return DirectChatResult{std::move(*chat), false};
      }
    }

    Result<std::vector<ChatMember>> members = new_members({a, b}, kNoOwner);
    if (!members) return members.error();

    Chat chat{
        .kind = ChatKind::direct, .title = "", .created_at = now, .members = std::move(*members)};
    insert_chat(chat, &key);
    return DirectChatResult{std::move(chat), true};
  });
}

Result<Chat> SqliteWriteTransaction::create_group_chat(UserId creator, std::string_view title,
                                                       std::span<const UserId> members,
                                                       Timestamp now) {
  return run_operation<Chat>("create_group_chat", [&]() -> Result<Chat> {
    std::vector<UserId> users(members.begin(), members.end());
    users.push_back(creator);
    Result<std::vector<ChatMember>> chat_members = new_members(std::move(users), creator);
    if (!chat_members) return chat_members.error();

    Chat chat{.kind = ChatKind::group,
              .title = std::string(title),
              .created_at = now,
              .members = std::move(*chat_members)};
    insert_chat(chat, nullptr);
    return chat;
  });
}

Result<Seq> SqliteWriteTransaction::last_seq_for_sender(ChatId chat, UserId sender) {
  SQLite::Statement& query = writer_->append_target;
  StatementReset reset(query);
  query.bind(1, sender);
  query.bind(2, chat);
  if (!query.executeStep()) return Error{Errc::not_found, fmt::format("no chat {}", chat)};
  if (query.getColumn(1).getInt() == 0) {
    return Error{Errc::not_a_member,
                 fmt::format("user {} is not a member of chat {}", sender, chat)};
  }
  return query.getColumn(0).getInt64();
}

bool SqliteWriteTransaction::insert_message(Message& message) {
  SQLite::Statement& insert = writer_->insert_message;
  StatementReset reset(insert);
  insert.bind(1, message.chat_id);
  insert.bind(2, message.seq);
  insert.bind(3, message.sender_id);
  bind_client_msg_id(insert, 4, message.client_msg_id);
  insert.bindNoCopy(5, message.text);
  insert.bind(6, message.created_at);
  if (insert.exec() == 0) return false;
  message.id = writer_->db.getLastInsertRowid();
  return true;
}

Result<Message> SqliteWriteTransaction::find_by_client_msg_id(const NewMessage& message) {
  SQLite::Statement& query = writer_->find_message_by_client_id;
  StatementReset reset(query);
  query.bind(1, message.chat_id);
  query.bind(2, message.sender_id);
  query.bindNoCopy(3, message.client_msg_id);
  if (!query.executeStep()) return Error{Errc::internal, "a duplicate message vanished"};
  return message_from_row(query);
}

void SqliteWriteTransaction::record_append(const Message& message) {
  {
    SQLite::Statement& update = writer_->update_chat_after_append;
    StatementReset reset(update);
    update.bind(1, message.seq);
    update.bind(2, message.created_at);
    update.bind(3, message.chat_id);
    update.exec();
  }
  // Watermarks never pass last_seq, so the new seq is ahead of both of the sender's.
  set_watermarks(message.chat_id, message.sender_id, message.seq, message.seq);
}

void SqliteWriteTransaction::set_watermarks(ChatId chat, UserId user, Seq delivered, Seq seen) {
  SQLite::Statement& update = writer_->set_watermarks;
  StatementReset reset(update);
  update.bind(1, delivered);
  update.bind(2, seen);
  update.bind(3, chat);
  update.bind(4, user);
  update.exec();
}

Result<AppendResult> SqliteWriteTransaction::append_message(const NewMessage& message) {
  return run_operation<AppendResult>("append_message", [&]() -> Result<AppendResult> {
    Result<Seq> last_seq = last_seq_for_sender(message.chat_id, message.sender_id);
    if (!last_seq) return last_seq.error();

    Message stored{.chat_id = message.chat_id,
                   .seq = *last_seq + 1,
                   .sender_id = message.sender_id,
                   .client_msg_id = message.client_msg_id,
                   .text = message.text,
                   .created_at = message.created_at};
    if (!insert_message(stored)) {
      Result<Message> first = find_by_client_msg_id(message);
      if (!first) return first.error();
      return AppendResult{std::move(*first), true};
    }
    record_append(stored);
    return AppendResult{std::move(stored), false};
  });
}

Result<WatermarkResult> SqliteWriteTransaction::advance_watermarks(ChatId chat, UserId user,
                                                                   std::optional<Seq> delivered,
                                                                   std::optional<Seq> seen) {
  return run_operation<WatermarkResult>("advance_watermarks", [&]() -> Result<WatermarkResult> {
    ChatMember before;
    Seq last_seq = 0;
    {
      SQLite::Statement& query = writer_->member_watermarks;
      StatementReset reset(query);
      query.bind(1, chat);
      query.bind(2, user);
      if (!query.executeStep()) {
        return Error{Errc::not_a_member,
                     fmt::format("user {} is not a member of chat {}", user, chat)};
      }
      before = member_from_row(query);
      last_seq = query.getColumn(kMemberColumnCount).getInt64();
    }

    ChatMember after = advance_member_watermarks(before, last_seq, delivered, seen);
    bool moved = after.delivered_seq != before.delivered_seq || after.seen_seq != before.seen_seq;
    if (moved) set_watermarks(chat, user, after.delivered_seq, after.seen_seq);
    return WatermarkResult{after, moved};
  });
}

}  // namespace messenger
