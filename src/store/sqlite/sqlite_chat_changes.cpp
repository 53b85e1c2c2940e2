// The changes to a group's members and title, each written into the chat's order as a record.

#include <fmt/format.h>

#include <utility>

#include "store/chat_rules.hpp"
#include "store/sqlite/sqlite_write_transaction.hpp"

namespace messenger {

std::optional<Chat> SqliteWriteTransaction::load_chat(ChatId chat) {
  return writer_->chats.load(chat);
}

Message SqliteWriteTransaction::append_record(Chat& chat, UserId sender, MessageKind kind,
                                              UserId subject, std::string text, Timestamp now) {
  Message record{.chat_id = chat.id,
                 .seq = chat.last_seq + 1,
                 .sender_id = sender,
                 .text = std::move(text),
                 .created_at = now,
                 .kind = kind,
                 .subject_id = subject};
  // Records have no client_msg_id, so they are never taken for duplicates.
  insert_message(record);
  record_append(record);
  chat.last_seq = record.seq;
  return record;
}

void SqliteWriteTransaction::end_membership(ChatId chat, UserId user, Cursor last) {
  {
    SQLite::Statement& remove = writer_->delete_member;
    StatementReset reset(remove);
    remove.bind(1, chat);
    remove.bind(2, user);
    remove.exec();
  }
  SQLite::Statement& close = writer_->close_membership;
  StatementReset reset(close);
  close.bind(1, last);
  close.bind(2, chat);
  close.bind(3, user);
  close.exec();
}

void SqliteWriteTransaction::hand_over_ownership(ChatId chat) {
  std::vector<OwnerCandidate> candidates;
  {
    SQLite::Statement& query = writer_->owner_candidates;
    StatementReset reset(query);
    query.bind(1, chat);
    while (query.executeStep()) {
      candidates.push_back({.user_id = query.getColumn(0).getInt64(),
                            .role = member_role_from_text(query.getColumn(1).getText()),
                            .member_since = query.getColumn(2).getInt64()});
    }
  }
  std::optional<UserId> owner = next_owner(candidates);
  if (!owner) return;

  SQLite::Statement& update = writer_->set_role;
  StatementReset reset(update);
  update.bind(1, to_string(MemberRole::owner));
  update.bind(2, chat);
  update.bind(3, *owner);
  update.exec();
}

Result<Chat> SqliteWriteTransaction::load_for_change(ChatId chat, UserId by, ChangeRight right) {
  std::optional<Chat> target = load_chat(chat);
  if (auto allowed = check_group_change(target ? &*target : nullptr, chat, by, right); !allowed) {
    return allowed.error();
  }
  return std::move(*target);
}

ChatChange SqliteWriteTransaction::finish_change(ChatId chat, std::vector<Message> records,
                                                 std::optional<UserId> gone) {
  ChatChange change{.chat = load_chat(chat).value_or(Chat{}), .messages = std::move(records)};
  if (!change.messages.empty()) change.notify = users_to_notify(change.chat, gone);
  return change;
}

Result<ChatChange> SqliteWriteTransaction::add_members(ChatId chat, UserId by,
                                                       std::span<const UserId> users,
                                                       Timestamp now) {
  return run_operation<ChatChange>("add_members", [&]() -> Result<ChatChange> {
    Result<Chat> target = load_for_change(chat, by, ChangeRight::admin);
    if (!target) return target.error();
    std::vector<ChatMember> joining;
    for (UserId user : users_to_add(*target, users)) {
      Result<std::string> name = user_name(user);
      if (!name) return name.error();
      joining.push_back({.user_id = user, .name = std::move(*name)});
    }

    // Those who join together all read the records of their joining; the records before them
    // count as read.
    std::vector<Message> records;
    for (const ChatMember& member : joining) {
      records.push_back(
          append_record(*target, by, MessageKind::member_added, member.user_id, "", now));
    }
    std::vector<UserId> added;
    std::vector<Cursor> added_cursors;
    for (ChatMember& member : joining) {
      member.delivered_seq = member.seen_seq = records.front().seq - 1;
      start_membership(chat, member, records.front().id, now);
      added.push_back(member.user_id);
      added_cursors.push_back(insert_chat_update(chat, member.user_id));
    }

    ChatChange change = finish_change(chat, std::move(records));
    change.added = std::move(added);
    change.added_cursors = std::move(added_cursors);
    return change;
  });
}

Result<ChatChange> SqliteWriteTransaction::remove_member(ChatId chat, UserId by, UserId user,
                                                         Timestamp now) {
  return run_operation<ChatChange>("remove_member", [&]() -> Result<ChatChange> {
    Result<Chat> target = load_for_change(chat, by, ChangeRight::admin);
    if (!target) return target.error();
    if (auto removable = check_removable(*target, user); !removable) return removable.error();

    Message record = append_record(*target, by, MessageKind::member_removed, user, "", now);
    end_membership(chat, user, record.id);
    return finish_change(chat, {std::move(record)}, user);
  });
}

Result<ChatChange> SqliteWriteTransaction::leave_chat(ChatId chat, UserId user, Timestamp now) {
  return run_operation<ChatChange>("leave_chat", [&]() -> Result<ChatChange> {
    Result<Chat> target = load_for_change(chat, user, ChangeRight::member);
    if (!target) return target.error();
    bool owner = find_chat_member(*target, user)->role == MemberRole::owner;

    Message record = append_record(*target, user, MessageKind::member_left, user, "", now);
    end_membership(chat, user, record.id);
    if (owner) hand_over_ownership(chat);
    return finish_change(chat, {std::move(record)}, user);
  });
}

Result<ChatChange> SqliteWriteTransaction::rename_chat(ChatId chat, UserId by,
                                                       std::string_view title, Timestamp now) {
  return run_operation<ChatChange>("rename_chat", [&]() -> Result<ChatChange> {
    Result<Chat> target = load_for_change(chat, by, ChangeRight::admin);
    if (!target) return target.error();
    if (target->title == title) return ChatChange{.chat = std::move(*target)};

    Message record =
        append_record(*target, by, MessageKind::chat_renamed, 0, std::string(title), now);
    SQLite::Statement& update = writer_->set_title;
    StatementReset reset(update);
    update.bind(1, std::string(title));
    update.bind(2, chat);
    update.exec();
    return finish_change(chat, {std::move(record)});
  });
}

}  // namespace messenger
