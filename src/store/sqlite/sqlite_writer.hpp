#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <cstdint>
#include <memory>

#include "log/logger.hpp"
#include "messenger/result.hpp"
#include "messenger/store.hpp"
#include "store/sqlite/reader_gate.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/wal_checkpointer.hpp"

namespace messenger {

/// The store's one read-write connection and the statements every write transaction reuses,
/// prepared once: they are the hot path of sending and receipts. One transaction at a time
/// holds it (`in_use`).
struct SqliteWriter {
  /// Opens the connection, brings the schema up to date and starts the checkpoint thread.
  /// Errors: storage_error.
  static Result<std::unique_ptr<SqliteWriter>> open(const SqliteStoreOptions& options, Logger log);

  /// Starts the checkpoint thread. Throws SQLite::Exception.
  SqliteWriter(SQLite::Database connection, const SqliteStoreOptions& options, Logger log);

  /// Shared with every reader of the store, so that checkpoints can keep them out.
  std::shared_ptr<ReaderGate> readers;

  // The connection goes before the statements so that it is closed after every one of them.
  SQLite::Database db;

  SQLite::Statement begin;
  SQLite::Statement commit;
  SQLite::Statement rollback;
  SQLite::Statement savepoint;
  SQLite::Statement release_savepoint;
  SQLite::Statement rollback_to_savepoint;

  SQLite::Statement insert_user;
  SQLite::Statement user_name;
  SQLite::Statement set_last_seen;
  SQLite::Statement set_password_hash;
  SQLite::Statement replace_password_hash;
  SQLite::Statement insert_session;
  SQLite::Statement delete_session;
  SQLite::Statement delete_sessions_of_user;

  SQLite::Statement find_direct_chat;
  SQLite::Statement insert_chat;
  SQLite::Statement set_title;
  SQLite::Statement insert_member;
  SQLite::Statement delete_member;
  SQLite::Statement set_role;
  SQLite::Statement owner_candidates;
  SQLite::Statement open_membership;
  SQLite::Statement close_membership;
  ChatLoader chats;

  SQLite::Statement chat_last_seq;
  SQLite::Statement member_ids;
  SQLite::Statement insert_message;
  SQLite::Statement find_message_by_client_id;
  SQLite::Statement update_chat_after_append;
  SQLite::Statement member_watermarks;
  SQLite::Statement set_watermarks;

  SQLite::Statement insert_message_update;
  SQLite::Statement insert_receipt_update;
  SQLite::Statement insert_chat_update;
  SQLite::Statement delete_update;

  /// After a commit: when the WAL has grown past `kWalRestartPages`, copies what the
  /// checkpoint thread has not and has the next commit start the WAL over. A checkpoint pass
  /// in progress delays that to a later commit (up to `kWalRestartLimitPages`); so does
  /// failing (readers of other processes still busy after the busy timeout).
  void checkpoint_if_due() noexcept;
  static int record_wal_pages(void* writer, sqlite3* db, const char* name, int pages);

  std::atomic<bool> in_use{false};
  int wal_pages = 0;  ///< pages in the WAL after the last commit, as SQLite reports them
  Logger logger;
  bool restart_failing = false;  ///< the last restart failed and was logged

  // Last, so that its thread stops and its connection closes before the writer's connection.
  std::unique_ptr<WalCheckpointer> checkpointer;
};

}  // namespace messenger
