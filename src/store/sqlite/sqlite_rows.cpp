#include "store/sqlite/sqlite_rows.hpp"

#include <fmt/format.h>

#include "store/sqlite/sqlite_connection.hpp"

namespace messenger {

Message message_from_row(const SQLite::Statement& row, int first) {
  Message message;
  message.id = row.getColumn(first).getInt64();
  message.chat_id = row.getColumn(first + 1).getInt64();
  message.seq = row.getColumn(first + 2).getInt64();
  message.sender_id = row.getColumn(first + 3).getInt64();
  // A NULL client_msg_id (no key) reads back as the empty string it was given as.
  if (!row.isColumnNull(first + 4)) message.client_msg_id = row.getColumn(first + 4).getString();
  message.text = row.getColumn(first + 5).getString();
  message.created_at = row.getColumn(first + 6).getInt64();
  message.kind = message_kind_from_text(row.getColumn(first + 7).getText());
  message.subject_id = row.getColumn(first + 8).getInt64();
  return message;
}

ChatMember member_from_row(const SQLite::Statement& row, int first) {
  return ChatMember{
      .user_id = row.getColumn(first).getInt64(),
      .name = row.getColumn(first + 1).getString(),
      .role = member_role_from_text(row.getColumn(first + 2).getText()),
      .delivered_seq = row.getColumn(first + 3).getInt64(),
      .seen_seq = row.getColumn(first + 4).getInt64(),
  };
}

ChatKind chat_kind_from_text(std::string_view text) {
  return text == to_string(ChatKind::group) ? ChatKind::group : ChatKind::direct;
}

MemberRole member_role_from_text(std::string_view text) {
  if (text == to_string(MemberRole::owner)) return MemberRole::owner;
  if (text == to_string(MemberRole::admin)) return MemberRole::admin;
  return MemberRole::member;
}

MessageKind message_kind_from_text(std::string_view text) {
  for (MessageKind kind :
       {MessageKind::text, MessageKind::member_added, MessageKind::member_removed,
        MessageKind::member_left, MessageKind::chat_renamed}) {
    if (text == to_string(kind)) return kind;
  }
  return MessageKind::text;
}

ChatLoader::ChatLoader(SQLite::Database& db)
    : chat_(db, "SELECT id, kind, title, created_at, last_seq FROM chats WHERE id = ?"),
      members_(db, fmt::format("SELECT {} FROM chat_members AS cm {} WHERE cm.chat_id = ?"
                               " ORDER BY cm.user_id",
                               kMemberColumns, kMemberNameJoin)) {}

std::optional<Chat> ChatLoader::load(ChatId id) {
  Chat chat;
  {
    StatementReset reset(chat_);
    chat_.bind(1, id);
    if (!chat_.executeStep()) return std::nullopt;
    chat.id = chat_.getColumn(0).getInt64();
    chat.kind = chat_kind_from_text(chat_.getColumn(1).getText());
    chat.title = chat_.getColumn(2).getString();
    chat.created_at = chat_.getColumn(3).getInt64();
    chat.last_seq = chat_.getColumn(4).getInt64();
  }

  StatementReset reset(members_);
  members_.bind(1, id);
  while (members_.executeStep()) {
    chat.members.push_back(member_from_row(members_));
  }
  return chat;
}

}  // namespace messenger
