#include "store/sqlite/sqlite_update_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "store/sqlite/sqlite_connection.hpp"

namespace messenger {
namespace {

// A receipt's member is named as now, with their role if they are still a member. `addressee
// IS NULL` names the partial index the chat's updates live in.
constexpr std::string_view kReadQuery = R"sql(
SELECT u.id, u.kind, u.chat_id, u.member_id, u.delivered_seq, u.seen_seq, mu.name, cm.role, {}
  FROM updates AS u
  LEFT JOIN messages AS m ON m.id = u.id
  LEFT JOIN users AS mu ON mu.id = u.member_id
  LEFT JOIN chat_members AS cm ON cm.chat_id = u.chat_id AND cm.user_id = u.member_id
 WHERE {} AND u.id > ? AND u.id <= ?
 ORDER BY u.id LIMIT ?)sql";
constexpr int kReadMessageColumn = 8;
constexpr std::string_view kInChat = "u.chat_id = ? AND u.addressee IS NULL";
constexpr std::string_view kToUser = "u.addressee = ?";

constexpr std::string_view kNextQuery =
    "SELECT u.id FROM updates AS u WHERE {} AND u.id > ? AND u.id <= ? ORDER BY u.id LIMIT 1";

std::int64_t sql_limit(std::size_t limit) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(std::min(limit, kMax));
}

}  // namespace

SqliteUpdateReader::SqliteUpdateReader(SQLite::Database& db, ChatLoader& chats)
    : chats_(chats),
      memberships_(db,
                   "SELECT chat_id, first_cursor, last_cursor FROM memberships WHERE user_id = ?"
                   " AND (last_cursor IS NULL OR last_cursor > ?)"),
      bounds_(db, "SELECT (SELECT max(id) FROM updates), pruned_through FROM stream_horizon"),
      next_in_chat_(db, fmt::format(kNextQuery, kInChat)),
      next_to_user_(db, fmt::format(kNextQuery, kToUser)),
      read_in_chat_(db, fmt::format(kReadQuery, kMessageColumns, kInChat)),
      read_to_user_(db, fmt::format(kReadQuery, kMessageColumns, kToUser)) {}

std::vector<StreamSource> SqliteUpdateReader::sources(UserId user, Cursor after) {
  std::vector<StreamSource> sources{{.kind = StreamSource::Kind::addressed, .addressee = user}};
  StatementReset reset(memberships_);
  memberships_.bind(1, user);
  memberships_.bind(2, after);
  while (memberships_.executeStep()) {
    StreamSource& source = sources.emplace_back();
    source.chat_id = memberships_.getColumn(0).getInt64();
    source.first = memberships_.getColumn(1).getInt64();
    if (!memberships_.isColumnNull(2)) source.last = memberships_.getColumn(2).getInt64();
  }
  return sources;
}

std::pair<Cursor, Cursor> SqliteUpdateReader::bounds() {
  StatementReset reset(bounds_);
  bounds_.executeStep();
  Cursor pruned_through = bounds_.getColumn(1).getInt64();
  Cursor newest = bounds_.isColumnNull(0) ? pruned_through : bounds_.getColumn(0).getInt64();
  return {newest, pruned_through};
}

SQLite::Statement& SqliteUpdateReader::bound(SQLite::Statement& in_chat, SQLite::Statement& to_user,
                                             const StreamSource& source) {
  if (source.kind == StreamSource::Kind::addressed) {
    to_user.bind(1, source.addressee);
    return to_user;
  }
  in_chat.bind(1, source.chat_id);
  return in_chat;
}

std::optional<Cursor> SqliteUpdateReader::next(const StreamSource& source, Cursor after,
                                               Cursor through) {
  SQLite::Statement& query = bound(next_in_chat_, next_to_user_, source);
  StatementReset reset(query);
  query.bind(2, after);
  query.bind(3, through);
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

void SqliteUpdateReader::read(const StreamSource& source, Cursor after, Cursor through,
                              std::size_t limit, std::vector<Update>& out) {
  SQLite::Statement& query = bound(read_in_chat_, read_to_user_, source);
  StatementReset reset(query);
  query.bind(2, after);
  query.bind(3, through);
  query.bind(4, sql_limit(limit));
  while (query.executeStep()) {
    out.push_back(update_from_row(query));
  }
}

Update SqliteUpdateReader::update_from_row(const SQLite::Statement& row) {
  Update update{.cursor = row.getColumn(0).getInt64(), .chat_id = row.getColumn(2).getInt64()};
  std::string_view kind = row.getColumn(1).getText();
  if (kind == "receipt") {
    update.kind = UpdateKind::receipt;
    update.member = ChatMember{
        .user_id = row.getColumn(3).getInt64(),
        .name = row.getColumn(6).getString(),
        .role = member_role_from_text(row.getColumn(7).getText()),
        .delivered_seq = row.getColumn(4).getInt64(),
        .seen_seq = row.getColumn(5).getInt64(),
    };
  } else if (kind == "chat") {
    update.kind = UpdateKind::chat;
    update.chat = chats_.load(update.chat_id).value_or(Chat{});
  } else {
    update.message = message_from_row(row, kReadMessageColumn);
  }
  return update;
}

}  // namespace messenger
