#include "store/sqlite/sqlite_writer.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/sqlite/schema.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace messenger {

Result<std::unique_ptr<SqliteWriter>> SqliteWriter::open(const SqliteStoreOptions& options,
                                                         Logger log) {
  try {
    SQLite::Database db = open_writer_connection(options);
    if (auto migrated = migrate_schema(db); !migrated) return migrated.error();
    return std::make_unique<SqliteWriter>(std::move(db), options, std::move(log));
  } catch (const SQLite::Exception& failure) {
    return storage_error(fmt::format("opening '{}'", options.path), failure);
  }
}

SqliteWriter::SqliteWriter(SQLite::Database connection, const SqliteStoreOptions& options,
                           Logger log)
    : readers(std::make_shared<ReaderGate>()),
      db(std::move(connection)),
      begin(db, "BEGIN IMMEDIATE"),
      commit(db, "COMMIT"),
      rollback(db, "ROLLBACK"),
      savepoint(db, "SAVEPOINT operation"),
      release_savepoint(db, "RELEASE operation"),
      rollback_to_savepoint(db, "ROLLBACK TO operation"),
      insert_user(db,
                  "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)"
                  " ON CONFLICT (name) DO NOTHING"),
      user_name(db, "SELECT name FROM users WHERE id = ?"),
      set_last_seen(db, "UPDATE users SET last_seen = ? WHERE id = ?"),
      set_password_hash(db, "UPDATE users SET password_hash = ? WHERE id = ?"),
      replace_password_hash(
          db, "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?"),
      insert_session(db,
                     "INSERT INTO sessions (user_id, token_hash, device, created_at)"
                     " VALUES (?, ?, ?, ?)"),
      delete_session(db, "DELETE FROM sessions WHERE id = ?"),
      delete_sessions_of_user(db,
                              "DELETE FROM sessions WHERE user_id = ? AND id != ? RETURNING id"),
      find_direct_chat(db, "SELECT id FROM chats WHERE direct_key = ?"),
      insert_chat(db,
                  "INSERT INTO chats (kind, title, created_at, last_activity, direct_key)"
                  " VALUES (?, ?, ?, ?, ?)"),
      set_title(db, "UPDATE chats SET title = ? WHERE id = ?"),
      insert_member(db,
                    "INSERT INTO chat_members (chat_id, user_id, role, joined_at, delivered_seq,"
                    " seen_seq) VALUES (?, ?, ?, ?, ?, ?)"),
      delete_member(db, "DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?"),
      set_role(db, "UPDATE chat_members SET role = ? WHERE chat_id = ? AND user_id = ?"),
      owner_candidates(db,
                       "SELECT cm.user_id, cm.role, ms.first_cursor FROM chat_members AS cm"
                       " JOIN memberships AS ms ON ms.chat_id = cm.chat_id"
                       " AND ms.user_id = cm.user_id AND ms.last_cursor IS NULL"
                       " WHERE cm.chat_id = ?"),
      open_membership(db,
                      "INSERT INTO memberships (user_id, chat_id, first_cursor) VALUES (?, ?, ?)"),
      close_membership(db,
                       "UPDATE memberships SET last_cursor = ? WHERE chat_id = ? AND user_id = ?"
                       " AND last_cursor IS NULL"),
      chats(db),
      chat_last_seq(db, "SELECT last_seq FROM chats WHERE id = ?"),
      member_ids(db, "SELECT user_id FROM chat_members WHERE chat_id = ? ORDER BY user_id"),
      insert_message(db,
                     "INSERT INTO messages (id, chat_id, seq, sender_id, client_msg_id, text,"
                     " created_at, kind, subject_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (chat_id, sender_id, client_msg_id) DO NOTHING"),
      find_message_by_client_id(db, fmt::format("SELECT {} FROM messages AS m WHERE m.chat_id = ?"
                                                " AND m.sender_id = ? AND m.client_msg_id = ?",
                                                kMessageColumns)),
      update_chat_after_append(db,
                               "UPDATE chats SET last_seq = ?, last_activity ="
                               " max(last_activity, ?) WHERE id = ?"),
      member_watermarks(db, fmt::format("SELECT {}, c.last_seq FROM chat_members AS cm {}"
                                        " JOIN chats AS c ON c.id = cm.chat_id"
                                        " WHERE cm.chat_id = ? AND cm.user_id = ?",
                                        kMemberColumns, kMemberNameJoin)),
      set_watermarks(db,
                     "UPDATE chat_members SET delivered_seq = ?, seen_seq = ?"
                     " WHERE chat_id = ? AND user_id = ?"),
      insert_message_update(db, "INSERT INTO updates (kind, chat_id) VALUES ('message', ?)"),
      insert_receipt_update(db,
                            "INSERT INTO updates (kind, chat_id, member_id, delivered_seq,"
                            " seen_seq) VALUES ('receipt', ?, ?, ?, ?)"),
      insert_chat_update(db,
                         "INSERT INTO updates (kind, chat_id, addressee) VALUES ('chat', ?, ?)"),
      delete_update(db, "DELETE FROM updates WHERE id = ?"),
      logger(std::move(log)),
      checkpointer(std::make_unique<WalCheckpointer>(options, logger)) {
  // Replaces SQLite's automatic checkpoints, which run on the committing thread and are
  // passive: they cannot restart the WAL while reads keep overlapping, and under a steady read
  // load the WAL then grows without end.
  sqlite3_wal_hook(db.getHandle(), &SqliteWriter::record_wal_pages, this);
}

int SqliteWriter::record_wal_pages(void* writer, sqlite3*, const char*, int pages) {
  auto* self = static_cast<SqliteWriter*>(writer);
  self->wal_pages = pages;
  self->checkpointer->wal_grew(pages);
  return SQLITE_OK;
}

void SqliteWriter::checkpoint_if_due() noexcept {
  if (wal_pages < kWalRestartPages) return;

  // RESTART copies what the checkpoint thread has not yet and waits (up to the busy timeout)
  // until no reader needs the WAL's frames, so that the next commit writes from the WAL's
  // start again. The gate keeps this store's readers out meanwhile; readers in other processes
  // can only make it wait.
  sqlite3* handle = db.getHandle();
  int done = SQLITE_BUSY;
  auto restart = [&] {
    readers->run_alone([&] {
      done =
          sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    });
  };
  // While a pass is copying, the restart waits for a later commit rather than for the pass,
  // which leaves it less to copy; past the limit it waits, so that the WAL stays bounded.
  if (wal_pages >= kWalRestartLimitPages) {
    checkpointer->run_between_passes(restart);
  } else if (!checkpointer->try_between_passes(restart)) {
    return;
  }
  if (done == SQLITE_OK) {
    if (restart_failing) logger.info("the WAL restarts again");
    restart_failing = false;
    wal_pages = 0;
    return;
  }
  if (!restart_failing) {
    logger.warn("cannot restart the WAL ({} pages): {}; retrying after each commit", wal_pages,
                sqlite3_errmsg(handle));
  }
  restart_failing = true;
}

}  // namespace messenger
