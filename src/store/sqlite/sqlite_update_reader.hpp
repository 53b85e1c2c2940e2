#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/sqlite/sqlite_rows.hpp"
#include "store/update_stream.hpp"

namespace messenger {

/// Reads the update stream on a reader's connection, with its statements prepared once. Every
/// query walks an index by (chat, cursor) or (addressee, cursor), so a page costs a few seeks per
/// chat of the user and the rows it returns, whatever the size of the store.
class SqliteUpdateReader final : public StreamSourceReader {
 public:
  /// Throws SQLite::Exception.
  SqliteUpdateReader(SQLite::Database& db, ChatLoader& chats);

  /// The user's memberships that reach past `after`, and their addressed updates.
  /// Throws SQLite::Exception.
  std::vector<StreamSource> sources(UserId user, Cursor after);
  /// The newest position of the stream and where pruning stopped. Throws SQLite::Exception.
  std::pair<Cursor, Cursor> bounds();

  std::optional<Cursor> next(const StreamSource& source, Cursor after, Cursor through) override;
  void read(const StreamSource& source, Cursor after, Cursor through, std::size_t limit,
            std::vector<Update>& out) override;

 private:
  /// The statement that `next` (or `read`) runs for `source`, bound to it.
  SQLite::Statement& bound(SQLite::Statement& in_chat, SQLite::Statement& to_user,
                           const StreamSource& source);
  Update update_from_row(const SQLite::Statement& row);

  ChatLoader& chats_;
  SQLite::Statement memberships_;
  SQLite::Statement bounds_;
  SQLite::Statement next_in_chat_;
  SQLite::Statement next_to_user_;
  SQLite::Statement read_in_chat_;
  SQLite::Statement read_to_user_;
};

}  // namespace messenger
