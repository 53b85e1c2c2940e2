#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <optional>
#include <string_view>

#include "messenger/types.hpp"

namespace messenger {

/// The columns every query that reads whole messages selects, in the order
/// `message_from_row` decodes them. `m` is the alias the query gives the messages table.
inline constexpr std::string_view kMessageColumns =
    "m.id, m.chat_id, m.seq, m.sender_id, m.client_msg_id, m.text, m.created_at, m.kind,"
    " m.subject_id";
inline constexpr int kMessageColumnCount = 9;

/// Decodes the `kMessageColumns` that start at column `first` of the current row.
Message message_from_row(const SQLite::Statement& row, int first = 0);

/// The columns of a member with their name and watermarks, in the order `member_from_row`
/// decodes them; `cm` is the alias of the chat_members table, joined with `kMemberNameJoin`.
inline constexpr std::string_view kMemberColumns =
    "cm.user_id, mu.name, cm.role, cm.delivered_seq, cm.seen_seq";
inline constexpr int kMemberColumnCount = 5;
inline constexpr std::string_view kMemberNameJoin = "JOIN users AS mu ON mu.id = cm.user_id";

/// Decodes the `kMemberColumns` that start at column `first` of the current row.
ChatMember member_from_row(const SQLite::Statement& row, int first = 0);

ChatKind chat_kind_from_text(std::string_view text);
MemberRole member_role_from_text(std::string_view text);
MessageKind message_kind_from_text(std::string_view text);

/// Reads a chat with its members (ordered by user id) on one connection, with its two
/// statements prepared once.
class ChatLoader {
 public:
  /// Throws SQLite::Exception.
  explicit ChatLoader(SQLite::Database& db);

  /// The chat, or nothing when there is no such chat. Throws SQLite::Exception.
  std::optional<Chat> load(ChatId chat);

 private:
  SQLite::Statement chat_;
  SQLite::Statement members_;
};

}  // namespace messenger
