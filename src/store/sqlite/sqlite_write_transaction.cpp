#include "store/sqlite/sqlite_write_transaction.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <utility>

#include "store/chat_rules.hpp"
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

Cursor SqliteWriteTransaction::insert_chat(Chat& chat, const std::string* direct_key) {
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

  Cursor cursor = insert_chat_update(chat.id, std::nullopt);
  for (const ChatMember& member : chat.members) {
    start_membership(chat.id, member, cursor, chat.created_at);
  }
  return cursor;
}

void SqliteWriteTransaction::start_membership(ChatId chat, const ChatMember& member, Cursor first,
                                              Timestamp now) {
  {
    SQLite::Statement& insert = writer_->insert_member;
    StatementReset reset(insert);
    insert.bind(1, chat);
    insert.bind(2, member.user_id);
    insert.bind(3, to_string(member.role));
    insert.bind(4, now);
    insert.bind(5, member.delivered_seq);
    insert.bind(6, member.seen_seq);
    insert.exec();
  }
  SQLite::Statement& open = writer_->open_membership;
  StatementReset reset(open);
  open.bind(1, member.user_id);
  open.bind(2, chat);
  open.bind(3, first);
  open.exec();
}

Cursor SqliteWriteTransaction::insert_chat_update(ChatId chat, std::optional<UserId> addressee) {
  SQLite::Statement& insert = writer_->insert_chat_update;
  StatementReset reset(insert);
  insert.bind(1, chat);
  if (addressee) {
    insert.bind(2, *addressee);
  } else {
    insert.bind(2);
  }
  insert.exec();
  return writer_->db.getLastInsertRowid();
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

Result<std::vector<SessionId>> SqliteWriteTransaction::delete_sessions_of_user(UserId user,
                                                                               SessionId keep) {
  using Ids = std::vector<SessionId>;
  return run_operation<Ids>("delete_sessions_of_user", [&]() -> Result<Ids> {
    SQLite::Statement& remove = writer_->delete_sessions_of_user;
    StatementReset reset(remove);
    remove.bind(1, user);
    remove.bind(2, keep);
    Ids removed;
    while (remove.executeStep()) {
      removed.push_back(remove.getColumn(0).getInt64());
    }
    std::sort(removed.begin(), removed.end());
    return removed;
  });
}

Result<void> SqliteWriteTransaction::set_password_hash(UserId user,
                                                       std::string_view password_hash) {
  return run_operation<void>("set_password_hash", [&]() -> Result<void> {
    SQLite::Statement& update = writer_->set_password_hash;
    StatementReset reset(update);
    bind_text(update, 1, password_hash);
    update.bind(2, user);
    if (update.exec() == 0) return Error{Errc::not_found, fmt::format("no user {}", user)};
    return {};
  });
}

Result<bool> SqliteWriteTransaction::replace_password_hash(UserId user, std::string_view expected,
                                                           std::string_view replacement) {
  return run_operation<bool>("replace_password_hash", [&]() -> Result<bool> {
    SQLite::Statement& update = writer_->replace_password_hash;
    StatementReset reset(update);
    bind_text(update, 1, replacement);
    update.bind(2, user);
    bind_text(update, 3, expected);
    return update.exec() == 1;
  });
}

Result<void> SqliteWriteTransaction::set_last_seen(UserId user, Timestamp when) {
  return run_operation<void>("set_last_seen", [&]() -> Result<void> {
    SQLite::Statement& update = writer_->set_last_seen;
    StatementReset reset(update);
    update.bind(1, when);
    update.bind(2, user);
    if (update.exec() == 0) return Error{Errc::not_found, fmt::format("no user {}", user)};
    return {};
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
    Cursor cursor = insert_chat(chat, &key);
    return DirectChatResult{std::move(chat), true, cursor};
  });
}

Result<ChatChange> SqliteWriteTransaction::create_group_chat(UserId creator, std::string_view title,
                                                             std::span<const UserId> members,
                                                             Timestamp now) {
  return run_operation<ChatChange>("create_group_chat", [&]() -> Result<ChatChange> {
    std::vector<UserId> users(members.begin(), members.end());
    users.push_back(creator);
    Result<std::vector<ChatMember>> chat_members = new_members(std::move(users), creator);
    if (!chat_members) return chat_members.error();

    Chat chat{.kind = ChatKind::group,
              .title = std::string(title),
              .created_at = now,
              .members = std::move(*chat_members)};
    Cursor cursor = insert_chat(chat, nullptr);
    ChatChange change{.chat = std::move(chat)};
    change.added = member_ids(change.chat);
    change.added_cursors.assign(change.added.size(), cursor);
    change.notify = change.added;
    return change;
  });
}

Result<std::vector<UserId>> SqliteWriteTransaction::members_for_sender(ChatId chat, UserId sender,
                                                                       Seq& last_seq) {
  {
    SQLite::Statement& query = writer_->chat_last_seq;
    StatementReset reset(query);
    query.bind(1, chat);
    if (!query.executeStep()) return Error{Errc::not_found, fmt::format("no chat {}", chat)};
    last_seq = query.getColumn(0).getInt64();
  }

  std::vector<UserId> members = chat_member_ids(chat);
  if (!std::binary_search(members.begin(), members.end(), sender)) {
    return Error{Errc::not_a_member,
                 fmt::format("user {} is not a member of chat {}", sender, chat)};
  }
  return members;
}

std::vector<UserId> SqliteWriteTransaction::chat_member_ids(ChatId chat) {
  std::vector<UserId> members;
  SQLite::Statement& query = writer_->member_ids;
  StatementReset reset(query);
  query.bind(1, chat);
  while (query.executeStep()) {
    members.push_back(query.getColumn(0).getInt64());
  }
  return members;
}

bool SqliteWriteTransaction::insert_message(Message& message) {
  {
    SQLite::Statement& insert = writer_->insert_message_update;
    StatementReset reset(insert);
    insert.bind(1, message.chat_id);
    insert.exec();
    message.id = writer_->db.getLastInsertRowid();
  }

  SQLite::Statement& insert = writer_->insert_message;
  StatementReset reset(insert);
  insert.bind(1, message.id);
  insert.bind(2, message.chat_id);
  insert.bind(3, message.seq);
  insert.bind(4, message.sender_id);
  bind_client_msg_id(insert, 5, message.client_msg_id);
  insert.bindNoCopy(6, message.text);
  insert.bind(7, message.created_at);
  insert.bind(8, to_string(message.kind));
  insert.bind(9, message.subject_id);
  if (insert.exec() != 0) return true;

  // A duplicate is rare; taking the update back costs less than looking for one every time.
  SQLite::Statement& remove = writer_->delete_update;
  StatementReset remove_reset(remove);
  remove.bind(1, message.id);
  remove.exec();
  message.id = 0;
  return false;
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
    Seq last_seq = 0;
    Result<std::vector<UserId>> members =
        members_for_sender(message.chat_id, message.sender_id, last_seq);
    if (!members) return members.error();

    Message stored{.chat_id = message.chat_id,
                   .seq = last_seq + 1,
                   .sender_id = message.sender_id,
                   .client_msg_id = message.client_msg_id,
                   .text = message.text,
                   .created_at = message.created_at};
    if (!insert_message(stored)) {
      Result<Message> first = find_by_client_msg_id(message);
      if (!first) return first.error();
      Cursor cursor = first->id;
      return AppendResult{std::move(*first), true, cursor, std::move(*members)};
    }
    record_append(stored);
    Cursor cursor = stored.id;
    return AppendResult{std::move(stored), false, cursor, std::move(*members)};
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
    WatermarkResult result{
        .member = after,
        .moved = after.delivered_seq != before.delivered_seq || after.seen_seq != before.seen_seq};
    if (result.moved) {
      set_watermarks(chat, user, after.delivered_seq, after.seen_seq);
      SQLite::Statement& insert = writer_->insert_receipt_update;
      StatementReset reset(insert);
      insert.bind(1, chat);
      insert.bind(2, user);
      insert.bind(3, after.delivered_seq);
      insert.bind(4, after.seen_seq);
      insert.exec();
      result.cursor = writer_->db.getLastInsertRowid();
    }

    result.members = chat_member_ids(chat);
    return result;
  });
}

}  // namespace messenger
