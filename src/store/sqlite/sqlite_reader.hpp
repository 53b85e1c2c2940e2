#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>

#include "messenger/store.hpp"
#include "store/sqlite/reader_gate.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_update_reader.hpp"

namespace messenger {

/// A read-only connection of its own with its statements prepared once. WAL lets it read beside
/// the writer; reads made of several queries run in one read transaction, so they see a single
/// snapshot.
class SqliteReader final : public StoreReader {
 public:
  /// Throws SQLite::Exception.
  SqliteReader(const std::string& path, std::shared_ptr<ReaderGate> gate);

  Result<User> get_user(UserId user) override;
  Result<User> find_user_by_name(std::string_view name) override;
  Result<Credentials> get_credentials(std::string_view name) override;
  Result<SessionRecord> find_session(std::string_view token_hash) override;
  Result<Chat> get_chat(ChatId chat) override;
  Result<std::vector<ChatSummary>> list_chats(UserId user) override;
  Result<std::vector<Message>> history(const HistoryQuery& query) override;
  Result<UpdatePage> updates_since(UserId user, Cursor after, std::size_t limit) override;
  Result<std::vector<UserId>> contacts(UserId user) override;

 private:
  class Snapshot;

  /// Runs one read under a gate pass, turning SQLite's exceptions into storage_error.
  template <typename T, typename Body>
  Result<T> read(std::string_view name, Body&& body);

  std::optional<User> read_user(SQLite::Statement& query);
  std::vector<ChatSummary> read_chat_summaries(UserId user);
  void attach_members(UserId user, std::vector<ChatSummary>& summaries);

  std::shared_ptr<ReaderGate> gate_;
  // The connection goes before the statements so that it is closed after every one of them.
  SQLite::Database db_;
  SQLite::Statement begin_;
  SQLite::Statement end_;
  SQLite::Statement user_by_id_;
  SQLite::Statement user_by_name_;  ///< also gives the password hash
  SQLite::Statement session_;
  ChatLoader chats_;
  SQLite::Statement chat_summaries_;
  SQLite::Statement members_of_chats_;
  SQLite::Statement messages_before_;
  SQLite::Statement messages_after_;
  SQLite::Statement contacts_;
  SqliteUpdateReader updates_;
};

}  // namespace messenger
